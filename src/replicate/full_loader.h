#pragma once

#include <string>

#include "replicate/replication_context.h"

namespace futureim::replicate {

// The full load: copies every table in state pending or loading into the raw
// tier (`_op` = 'L'), several tables at once, each from its own consistent
// snapshot, chunk by chunk in primary-key order.
//
// Each chunk is committed with the table's progress (the last key loaded and
// the snapshot's binlog position, `capture_from`), so a load killed at any
// instant resumes at the first uncommitted chunk. Why a resumed load may use
// a later snapshot than its first chunks: CDC replays every change of the
// table from the earliest `capture_from` on, with full row images, so rows
// read at a later snapshot are brought back in line by the replay (see
// TableLoadProgress). A reload (after DDL) starts with a truncate marker,
// so readers drop the table's earlier rows.
class FullLoader {
 public:
  explicit FullLoader(ReplicationContext& context) : context_(context) {}

  // Returns when every such table is loaded (or dropped), or when stop is
  // set (then some tables stay `loading`, to resume later). Throws the first
  // error any table hit, after the other threads stopped.
  void LoadPendingTables();

 private:
  void LoadTable(const std::string& qualified_name);

  ReplicationContext& context_;
};

}  // namespace futureim::replicate
