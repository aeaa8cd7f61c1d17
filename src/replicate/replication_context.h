#pragma once

#include <atomic>

#include "engine/duckdb.h"
#include "replicate/replication_checkpoint.h"
#include "replicate/replication_metrics.h"
#include "replicate/replication_options.h"
#include "source/charset_transcoder.h"

namespace futureim::replicate {

// What the parts of a running task share; owned by ReplicationTask.
struct ReplicationContext {
  const ReplicationOptions& options;
  ReplicationCheckpoint& checkpoint;
  engine::Database& database;  // buffers of the raw writers (in memory, spills to disk)
  const source::CharsetTranscoder& transcoder;
  ReplicationMetrics& metrics;
  const std::atomic<bool>& stop;
};

// Hands out _seq values from blocks reserved in the checkpoint, so that a
// thread takes the checkpoint's lock once per block, not once per row.
class SeqAllocator {
 public:
  explicit SeqAllocator(ReplicationCheckpoint& checkpoint) : checkpoint_(checkpoint) {}
  uint64_t Next() {
    if (next_ == end_) {
      next_ = checkpoint_.ReserveSeqs(kBlock);
      end_ = next_ + kBlock;
    }
    return next_++;
  }

 private:
  static constexpr uint64_t kBlock = 65536;
  ReplicationCheckpoint& checkpoint_;
  uint64_t next_ = 0;
  uint64_t end_ = 0;
};

}  // namespace futureim::replicate
