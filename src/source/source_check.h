#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "source/source_endpoint.h"
#include "source/table_filter.h"

namespace futureim::source {

enum class CheckStatus {
  kOk,
  kWarn,  // replication works, with a limitation the user should know about
  kFail,  // replication cannot work until this is fixed
};

// "ok", "warn" or "fail".
std::string_view CheckStatusName(CheckStatus status);

// One finding about the source. `fix` is empty for kOk; otherwise it names
// the exact server setting or GRANT statement that resolves the finding.
struct SourceCheckItem {
  std::string name;  // stable, machine-readable: "binlog_format", "grant_select", ...
  CheckStatus status = CheckStatus::kOk;
  std::string observed;
  std::string fix;
};

struct SourceCheckReport {
  std::string endpoint;  // SourceEndpoint::Describe(): never the password
  std::vector<SourceCheckItem> items;

  // True when no item failed (warnings allowed).
  bool CanReplicate() const;
};

// Checks, against the live server, everything replication needs from a
// MySQL/MariaDB source (SPEC.md §2 "Source check"): login, version, binary
// log settings, server id, binlog retention and checksum, the user's grants,
// TLS, and the tables the include/exclude patterns select. Read-only: it
// runs SELECT and SHOW statements only.
class SourceCheck {
 public:
  // `replica_server_id` is the id this program announces as a replica
  // (replication.server_id); it must differ from the source's.
  SourceCheck(SourceEndpoint endpoint, TableFilter tables, int64_t replica_server_id);

  // Runs every check. A failed login is a report with one failed
  // "connection" item (its message names the endpoint, never the password);
  // later checks then do not run. Throws SourceError only when the server
  // fails a statement mid-check (e.g. the connection drops).
  SourceCheckReport Run() const;

 private:
  SourceEndpoint endpoint_;
  TableFilter tables_;
  int64_t replica_server_id_;
};

}  // namespace futureim::source
