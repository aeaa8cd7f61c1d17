#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "source/binlog_event.h"

// The non-row events needed to keep transactions whole and to follow DDL.
namespace futureim::source {

// MariaDB GTID event (type 162): starts an event group (a transaction, or a
// DDL statement).
struct GtidEvent {
  static constexpr uint8_t kStandalone = 0x01;  // no terminating XID/COMMIT follows
  static constexpr uint8_t kGroupCommitId = 0x02;
  static constexpr uint8_t kTransactional = 0x04;
  static constexpr uint8_t kDdl = 0x20;

  uint32_t domain_id = 0;
  uint32_t server_id = 0;
  uint64_t sequence = 0;
  uint8_t flags = 0;
  std::optional<uint64_t> commit_id;

  // A standalone group is a single statement (DDL or a non-transactional
  // write) that ends without an XID or COMMIT event.
  bool standalone() const { return (flags & kStandalone) != 0; }
  bool transactional() const { return (flags & kTransactional) != 0; }
  bool ddl() const { return (flags & kDdl) != 0; }
  // "domain-server-sequence", the form of @@gtid_binlog_pos.
  std::string ToString() const;
};
GtidEvent ParseGtidEvent(const BinlogEvent& event);

// XID: the commit of a transactional event group.
struct XidEvent {
  uint64_t xid = 0;
};
XidEvent ParseXidEvent(const BinlogEvent& event);

// QUERY: a statement logged as text (DDL; BEGIN/COMMIT of non-GTID groups).
//
// SECURITY: `statement` may hold secrets (CREATE USER ... IDENTIFIED BY, SET
// PASSWORD, data in DML). It is kept in memory only, for DDL parsing: never
// log it, put it in an error message or write it anywhere unredacted.
struct QueryEvent {
  uint32_t thread_id = 0;
  uint32_t execution_seconds = 0;
  uint16_t error_code = 0;
  std::string schema;     // the default database when the statement ran
  std::string statement;  // see SECURITY above

  bool IsBegin() const;
  bool IsCommit() const;
  bool IsRollback() const;
};
QueryEvent ParseQueryEvent(const BinlogEvent& event);

// ROTATE: the stream continues in another file at `next`.
struct RotateEvent {
  BinlogPosition next;
  bool artificial = false;  // made up by the server at stream start (log position 0)
};
RotateEvent ParseRotateEvent(const BinlogEvent& event);

// FORMAT_DESCRIPTION: the first event of every binlog file.
struct FormatDescriptionEvent {
  uint16_t binlog_version = 0;
  std::string server_version;
  uint32_t created = 0;
  uint8_t header_length = 0;
  std::vector<uint8_t> post_header_lengths;  // index = event type - 1
  // 0 = none, 1 = CRC32; nullopt for servers that predate checksums.
  std::optional<uint8_t> checksum_algorithm;
};
// Expects the body without its checksum (as BinlogStream delivers it), so
// the last body byte is the checksum algorithm.
FormatDescriptionEvent ParseFormatDescriptionEvent(const BinlogEvent& event);

// HEARTBEAT: sent when the source has had nothing to send for the heartbeat
// period; `file`/`position` is where the source's dump stands.
struct HeartbeatEvent {
  std::string file;
  uint32_t position = 0;
};
HeartbeatEvent ParseHeartbeatEvent(const BinlogEvent& event);

}  // namespace futureim::source
