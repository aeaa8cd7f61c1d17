#pragma once

// Alarm rules evaluated periodically against what the product observes of
// itself (SPEC.md §7). Each rule has one state — ok, firing or resolved —
// with the time it entered it, kept in the metadata database (migration 3,
// alarm_states) so a restart neither forgets a firing alarm nor announces it
// twice. A state change (ok/resolved → firing, firing → resolved) is handed
// to the notify callback (`futureim serve`: audit log + webhook); the
// callback must not block (the webhook queues).

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "metadata/sqlite_database.h"
#include "ops/http_request_metrics.h"
#include "ops/pipeline_run_log.h"

namespace futureim::ops {

enum class AlarmCondition {
  kReplicationLag,  // a table's source lag > threshold seconds
  kApiErrorRate,    // 5xx answers / all answers over the window > threshold (a fraction)
  kPipelineFailed,  // the last finished pipeline run failed
  kDataQuality,     // a curated table's quality score < threshold
};

struct AlarmRule {
  std::string name;
  AlarmCondition condition;
  double threshold = 0;
  int64_t window_seconds = 0;  // kApiErrorRate
  std::string Describe() const;
};

// The alarm.* settings (0 disables a threshold rule).
struct AlarmSettings {
  int64_t replication_lag_seconds = 300;
  int64_t api_5xx_percent = 1;
  int64_t api_5xx_window_seconds = 300;
  bool pipeline_failed = true;
  int64_t data_quality_min_percent = 70;
};
std::vector<AlarmRule> AlarmRulesFromSettings(const AlarmSettings& settings);

// One reading of everything the rules look at.
struct AlarmObservation {
  std::map<std::string, double> replication_lag_seconds;  // tables whose lag is known
  HttpRequestMetrics::Totals http;                        // since the process started
  std::optional<PipelineRun> last_pipeline_run;           // the newest finished run
  std::map<std::string, double> data_quality;             // curated table → score
};

struct AlarmStatus {
  std::string rule;
  std::string description;
  std::string state;  // "ok", "firing", "resolved"
  int64_t since_ms = 0;
  std::optional<double> value;
  std::string message;
  int64_t evaluated_ms = 0;

  nlohmann::json ToJson() const;
};

struct AlarmTransition {
  std::string previous_state;
  AlarmStatus status;
};

class AlarmEngine {
 public:
  using Observe = std::function<AlarmObservation()>;
  using Notify = std::function<void(const AlarmTransition&)>;

  // Opens its own connection to the (migrated) metadata database and loads
  // the rules' stored states. `started_ms`: when the process's HTTP counters
  // started at zero (the error rate's first baseline).
  AlarmEngine(const std::filesystem::path& metadata_file, std::vector<AlarmRule> rules,
              Observe observe, Notify notify, int64_t started_ms);
  ~AlarmEngine();
  AlarmEngine(const AlarmEngine&) = delete;
  AlarmEngine& operator=(const AlarmEngine&) = delete;

  // Observes once and applies every rule; returns the state changes (also
  // notified). Throws what `observe` throws (nothing changes then).
  std::vector<AlarmTransition> Evaluate(int64_t now_ms);
  // Every configured rule's state, in rule order.
  std::vector<AlarmStatus> States() const;

  // Evaluates every `interval` on a thread of its own until Stop. An
  // evaluation that throws is logged and retried at the next tick.
  void Start(std::chrono::milliseconds interval);
  void Stop();

 private:
  struct Verdict {
    bool firing = false;
    std::optional<double> value;
    std::string message;
  };
  struct HttpSample {
    int64_t at_ms;
    HttpRequestMetrics::Totals totals;
  };
  Verdict Judge(const AlarmRule& rule, const AlarmObservation& observation, int64_t now_ms);
  void Store(const AlarmStatus& status);

  std::vector<AlarmRule> rules_;
  Observe observe_;
  Notify notify_;

  mutable std::mutex mutex_;  // states_, samples_, db_
  metadata::SqliteDatabase db_;
  std::map<std::string, AlarmStatus> states_;
  std::deque<HttpSample> samples_;

  std::mutex thread_mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace futureim::ops
