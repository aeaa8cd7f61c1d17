#include "ops/alarm_engine.h"

#include <algorithm>
#include <cstdio>

#include "core/log.h"

namespace futureim::ops {
namespace {

std::string Number(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

}  // namespace

std::string AlarmRule::Describe() const {
  switch (condition) {
    case AlarmCondition::kReplicationLag:
      return "replication lag of a table > " + Number(threshold, 0) + " s";
    case AlarmCondition::kApiErrorRate:
      return "API 5xx answers > " + Number(threshold * 100, 2) + " % over " +
             std::to_string(window_seconds) + " s";
    case AlarmCondition::kPipelineFailed:
      return "the last pipeline run failed";
    case AlarmCondition::kDataQuality:
      return "data-quality score of a curated table < " + Number(threshold, 2);
  }
  return name;
}

std::vector<AlarmRule> AlarmRulesFromSettings(const AlarmSettings& settings) {
  std::vector<AlarmRule> rules;
  if (settings.replication_lag_seconds > 0) {
    rules.push_back({"replication_lag", AlarmCondition::kReplicationLag,
                     static_cast<double>(settings.replication_lag_seconds), 0});
  }
  if (settings.api_5xx_percent > 0) {
    rules.push_back({"api_error_rate", AlarmCondition::kApiErrorRate,
                     static_cast<double>(settings.api_5xx_percent) / 100.0,
                     settings.api_5xx_window_seconds});
  }
  if (settings.pipeline_failed) {
    rules.push_back({"pipeline_failed", AlarmCondition::kPipelineFailed, 0, 0});
  }
  if (settings.data_quality_min_percent > 0) {
    rules.push_back({"data_quality", AlarmCondition::kDataQuality,
                     static_cast<double>(settings.data_quality_min_percent) / 100.0, 0});
  }
  return rules;
}

nlohmann::json AlarmStatus::ToJson() const {
  return {{"rule", rule},
          {"description", description},
          {"state", state},
          {"since_ms", since_ms},
          {"value", value ? nlohmann::json(*value) : nlohmann::json(nullptr)},
          {"message", message},
          {"evaluated_ms", evaluated_ms}};
}

AlarmEngine::AlarmEngine(const std::filesystem::path& metadata_file, std::vector<AlarmRule> rules,
                         Observe observe, Notify notify, int64_t started_ms)
    : rules_(std::move(rules)),
      observe_(std::move(observe)),
      notify_(std::move(notify)),
      db_(metadata::SqliteDatabase::Open(metadata_file)) {
  samples_.push_back({started_ms, {}});
  auto statement =
      db_.Prepare("SELECT rule, state, since_ms, value, message, evaluated_ms FROM alarm_states");
  std::map<std::string, AlarmStatus> stored;
  while (statement.Step()) {
    AlarmStatus status;
    status.rule = statement.GetText(0);
    status.state = statement.GetText(1);
    status.since_ms = statement.GetInt(2);
    if (!statement.IsNull(3)) status.value = sqlite3_column_double(statement.handle(), 3);
    status.message = statement.GetText(4);
    status.evaluated_ms = statement.GetInt(5);
    stored[status.rule] = std::move(status);
  }
  for (const auto& rule : rules_) {
    auto found = stored.find(rule.name);
    AlarmStatus status =
        found != stored.end()
            ? found->second
            : AlarmStatus{rule.name, "", "ok", started_ms, {}, "not evaluated yet", 0};
    status.description = rule.Describe();
    states_[rule.name] = std::move(status);
  }
}

AlarmEngine::~AlarmEngine() { Stop(); }

AlarmEngine::Verdict AlarmEngine::Judge(const AlarmRule& rule, const AlarmObservation& observation,
                                        int64_t now_ms) {
  Verdict verdict;
  switch (rule.condition) {
    case AlarmCondition::kReplicationLag: {
      std::string worst;
      for (const auto& [table, lag] : observation.replication_lag_seconds) {
        if (!verdict.value || lag > *verdict.value) {
          verdict.value = lag;
          worst = table;
        }
      }
      if (!verdict.value) {
        verdict.message = "no table is streaming (lag unknown)";
      } else {
        verdict.firing = *verdict.value > rule.threshold;
        verdict.message = worst + ": lag " + Number(*verdict.value, 1) + " s (threshold " +
                          Number(rule.threshold, 0) + " s)";
      }
      break;
    }
    case AlarmCondition::kApiErrorRate: {
      // The rate over the window: against the oldest sample inside it (the
      // process start counts as a sample of zeros).
      samples_.push_back({now_ms, observation.http});
      const int64_t window_start = now_ms - rule.window_seconds * 1000;
      while (samples_.size() > 2 && samples_[1].at_ms <= window_start) samples_.pop_front();
      const auto& base = samples_.front().totals;
      const uint64_t requests =
          observation.http.requests - std::min(base.requests, observation.http.requests);
      const uint64_t errors = observation.http.server_errors -
                              std::min(base.server_errors, observation.http.server_errors);
      verdict.value = requests == 0 ? 0.0 : static_cast<double>(errors) / requests;
      verdict.firing = requests > 0 && *verdict.value > rule.threshold;
      verdict.message = std::to_string(errors) + " of " + std::to_string(requests) +
                        " answers were 5xx (" + Number(*verdict.value * 100, 2) + " %)";
      break;
    }
    case AlarmCondition::kPipelineFailed: {
      const auto& run = observation.last_pipeline_run;
      if (!run) {
        verdict.message = "no pipeline run finished yet";
      } else {
        verdict.firing = run->status == "failed";
        verdict.value = verdict.firing ? 1.0 : 0.0;
        verdict.message = "run " + std::to_string(run->id) + " " + run->status +
                          (run->error.empty() ? "" : ": " + run->error.substr(0, 300));
      }
      break;
    }
    case AlarmCondition::kDataQuality: {
      std::string worst;
      for (const auto& [table, score] : observation.data_quality) {
        if (!verdict.value || score < *verdict.value) {
          verdict.value = score;
          worst = table;
        }
      }
      if (!verdict.value) {
        verdict.message = "no curated table yet";
      } else {
        verdict.firing = *verdict.value < rule.threshold;
        verdict.message = worst + ": quality " + Number(*verdict.value, 3) + " (threshold " +
                          Number(rule.threshold, 2) + ")";
      }
      break;
    }
  }
  return verdict;
}

void AlarmEngine::Store(const AlarmStatus& status) {
  auto statement = db_.Prepare(
      "INSERT INTO alarm_states(rule, state, since_ms, value, message, evaluated_ms) "
      "VALUES(?, ?, ?, ?, ?, ?) ON CONFLICT(rule) DO UPDATE SET state = excluded.state, "
      "since_ms = excluded.since_ms, value = excluded.value, message = excluded.message, "
      "evaluated_ms = excluded.evaluated_ms");
  statement.Bind(1, status.rule).Bind(2, status.state).Bind(3, status.since_ms);
  if (status.value) {
    sqlite3_bind_double(statement.handle(), 4, *status.value);
  } else {
    statement.BindNull(4);
  }
  statement.Bind(5, status.message).Bind(6, status.evaluated_ms);
  statement.Step();
}

std::vector<AlarmTransition> AlarmEngine::Evaluate(int64_t now_ms) {
  const AlarmObservation observation = observe_();
  std::vector<AlarmTransition> transitions;
  {
    std::lock_guard lock(mutex_);
    db_.Execute("BEGIN IMMEDIATE");
    try {
      for (const auto& rule : rules_) {
        AlarmStatus& status = states_[rule.name];
        const Verdict verdict = Judge(rule, observation, now_ms);
        const std::string previous = status.state;
        if (verdict.firing && previous != "firing") {
          status.state = "firing";
        } else if (!verdict.firing && previous == "firing") {
          status.state = "resolved";
        }
        if (status.state != previous) status.since_ms = now_ms;
        status.value = verdict.value;
        status.message = verdict.message;
        status.evaluated_ms = now_ms;
        Store(status);
        if (status.state != previous) transitions.push_back({previous, status});
      }
      db_.Execute("COMMIT");
    } catch (...) {
      sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }
  // Outside the lock: a notification may read States().
  for (const auto& transition : transitions) {
    core::log::Warn("alarm_state_changed", {{"rule", transition.status.rule},
                                            {"from", transition.previous_state},
                                            {"to", transition.status.state},
                                            {"message", transition.status.message}});
    if (notify_) notify_(transition);
  }
  return transitions;
}

std::vector<AlarmStatus> AlarmEngine::States() const {
  std::lock_guard lock(mutex_);
  std::vector<AlarmStatus> states;
  for (const auto& rule : rules_) states.push_back(states_.at(rule.name));
  return states;
}

void AlarmEngine::Start(std::chrono::milliseconds interval) {
  {
    std::lock_guard lock(thread_mutex_);
    if (thread_.joinable()) return;
    stopping_ = false;
  }
  thread_ = std::thread([this, interval] {
    std::unique_lock lock(thread_mutex_);
    while (!stopping_) {
      lock.unlock();
      try {
        Evaluate(std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count());
      } catch (const std::exception& e) {
        core::log::Error("alarm_evaluation_failed", {{"error", e.what()}});
      }
      lock.lock();
      wake_.wait_for(lock, interval, [this] { return stopping_; });
    }
  });
}

void AlarmEngine::Stop() {
  {
    std::lock_guard lock(thread_mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace futureim::ops
