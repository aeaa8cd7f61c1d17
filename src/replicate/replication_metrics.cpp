#include "replicate/replication_metrics.h"

#include <algorithm>
#include <chrono>
#include <vector>

namespace futureim::replicate {
namespace {

constexpr size_t kLatencyWindow = 1000;
constexpr int64_t kThroughputWindowUs = 60'000'000;

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t index = static_cast<size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(index, values.size() - 1)];
}

}  // namespace

int64_t WallClockMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void ReplicationMetrics::SetPhase(const std::string& phase) {
  std::lock_guard lock(mutex_);
  phase_ = phase;
}

void ReplicationMetrics::SetError(const std::string& message) {
  std::lock_guard lock(mutex_);
  error_ = message;
  error_at_us_ = WallClockMicros();
}

void ReplicationMetrics::ClearError() {
  std::lock_guard lock(mutex_);
  error_.clear();
}

void ReplicationMetrics::ObserveSourceCommit(int64_t commit_ts_us) {
  std::lock_guard lock(mutex_);
  last_source_commit_us_ = commit_ts_us;
  last_read_at_us_ = WallClockMicros();
  caught_up_ = false;
}

void ReplicationMetrics::ObserveCaughtUp() {
  std::lock_guard lock(mutex_);
  caught_up_ = true;
  last_read_at_us_ = WallClockMicros();
}

void ReplicationMetrics::ObserveLakeCommit(int64_t oldest_source_ts_us, uint64_t rows) {
  std::lock_guard lock(mutex_);
  const int64_t now = WallClockMicros();
  ++lake_commits_;
  rows_committed_ += rows;
  recent_commits_.emplace_back(now, rows);
  while (!recent_commits_.empty() && recent_commits_.front().first < now - kThroughputWindowUs) {
    recent_commits_.pop_front();
  }
  if (oldest_source_ts_us > 0) {
    target_lag_ms_.push_back(static_cast<double>(now - oldest_source_ts_us) / 1000.0);
    if (target_lag_ms_.size() > kLatencyWindow) target_lag_ms_.pop_front();
  }
}

void ReplicationMetrics::AddRowsLoaded(const std::string& table, uint64_t rows) {
  std::lock_guard lock(mutex_);
  rows_loaded_[table] += rows;
  recent_commits_.emplace_back(WallClockMicros(), rows);
}

nlohmann::json ReplicationMetrics::ToJson() const {
  std::lock_guard lock(mutex_);
  const int64_t now = WallClockMicros();
  uint64_t window_rows = 0;
  int64_t window_start = now;
  for (const auto& [at, rows] : recent_commits_) {
    if (at >= now - kThroughputWindowUs) {
      window_rows += rows;
      window_start = std::min(window_start, at);
    }
  }
  const double window_s = std::max(1.0, static_cast<double>(now - window_start) / 1e6);
  const std::vector<double> lags(target_lag_ms_.begin(), target_lag_ms_.end());
  double source_lag_s = 0;
  if (!caught_up_ && last_source_commit_us_ > 0) {
    source_lag_s = std::max(0.0, static_cast<double>(now - last_source_commit_us_) / 1e6);
  }
  nlohmann::json j = {
      {"phase", phase_},
      {"updated_at_us", now},
      {"caught_up", caught_up_},
      {"source_lag_seconds", source_lag_s},
      {"target_lag_ms",
       {{"p50", Percentile(lags, 0.50)},
        {"p95", Percentile(lags, 0.95)},
        {"p99", Percentile(lags, 0.99)},
        {"samples", lags.size()}}},
      {"rows_per_second", static_cast<double>(window_rows) / window_s},
      {"rows_committed", rows_committed_},
      {"lake_commits", lake_commits_},
      {"rows_loaded", rows_loaded_},
  };
  if (!error_.empty()) j["error"] = {{"message", error_}, {"at_us", error_at_us_}};
  return j;
}

}  // namespace futureim::replicate
