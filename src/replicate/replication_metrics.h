#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

namespace futureim::replicate {

// The running task's live figures, beside the committed ones in the manifest:
// what it is doing, how far behind the source it is, how fast it goes.
// Thread-safe. Written to raw/_futureim/replication/status.json about once a
// second so that `futureim status` and the API can read it from another
// process.
class ReplicationMetrics {
 public:
  void SetPhase(const std::string& phase);  // "starting", "loading", "streaming", "reconnecting",
                                            // "stopped", "error"
  void SetError(const std::string& message);
  void ClearError();
  // A transaction from the source, committed at source time `commit_ts_us`,
  // was read now: source lag is now - commit time (0 once caught up).
  void ObserveSourceCommit(int64_t commit_ts_us);
  void ObserveCaughtUp();
  // A raw-tier commit made changes committed at `oldest_source_ts_us` queryable now.
  void ObserveLakeCommit(int64_t oldest_source_ts_us, uint64_t rows);
  void AddRowsLoaded(const std::string& table, uint64_t rows);

  nlohmann::json ToJson() const;

 private:
  mutable std::mutex mutex_;
  std::string phase_ = "starting";
  std::string error_;
  int64_t error_at_us_ = 0;
  int64_t last_source_commit_us_ = 0;
  int64_t last_read_at_us_ = 0;
  bool caught_up_ = false;
  uint64_t rows_committed_ = 0;
  uint64_t lake_commits_ = 0;
  // (when, rows) of recent commits, for throughput over the last minute.
  std::deque<std::pair<int64_t, uint64_t>> recent_commits_;
  // Commit-to-queryable latencies of recent commits (ms), for percentiles.
  std::deque<double> target_lag_ms_;
  std::map<std::string, uint64_t> rows_loaded_;
};

int64_t WallClockMicros();

}  // namespace futureim::replicate
