#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

#include "lake/raw_tier_layout.h"
#include "replicate/table_selection.h"
#include "source/source_endpoint.h"

namespace futureim::replicate {

// Everything a replication task is configured with ([replication] settings).
struct ReplicationOptions {
  source::SourceEndpoint endpoint;
  lake::RawTierLayout layout{"lake"};
  TableSelection selection{{"ecommerce.%"}, {}};
  uint32_t server_id = 4001;
  int parallel_tables = 2;
  uint64_t chunk_rows = 100'000;
  std::chrono::milliseconds flush_interval{1000};
  uint64_t flush_bytes = 32ull << 20;
  // Memory the task's DuckDB may use for buffers before spilling to disk.
  uint64_t memory_limit_bytes = 256ull << 20;
  // Reconnect backoff after a lost source: doubles from min to max.
  std::chrono::milliseconds reconnect_min{500};
  std::chrono::milliseconds reconnect_max{30'000};
  // Stop once the full load is done (benchmarks), or once CDC has caught up
  // with the source and committed (tests, one-shot runs).
  bool stop_after_load = false;
  bool stop_when_caught_up = false;
};

}  // namespace futureim::replicate
