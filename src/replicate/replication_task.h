#pragma once

#include <atomic>

#include "replicate/replication_metrics.h"
#include "replicate/replication_options.h"

namespace futureim::replicate {

// One replication task: full load of the selected tables, then change data
// capture, until stopped — the engine behind `futureim replicate`.
//
// The loop: open the checkpoint (which removes anything uncommitted), add
// newly selected tables as pending, load pending tables, capture changes;
// DDL that needs a reload sends it back to loading. A lost source (restart,
// network) is retried with exponential backoff, resuming from the committed
// position; a purged binlog position is fatal and names the fix.
class ReplicationTask {
 public:
  ReplicationTask(ReplicationOptions options, const std::atomic<bool>& stop);

  // Runs until `stop` is set (or an options.stop_* condition holds). Throws
  // core::Error for what retrying cannot fix (purged position, bad
  // configuration, access denied, a damaged manifest).
  void Run();

  // Forgets everything replicated so far (raw files and state): the next Run
  // loads every table from a fresh snapshot.
  static void Resnapshot(const lake::RawTierLayout& layout);

  const ReplicationMetrics& metrics() const { return metrics_; }

 private:
  ReplicationOptions options_;
  const std::atomic<bool>& stop_;
  ReplicationMetrics metrics_;
};

// The status file the running task writes (and `futureim status` reads).
std::filesystem::path ReplicationStatusPath(const lake::RawTierLayout& layout);

}  // namespace futureim::replicate
