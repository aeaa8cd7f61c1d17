#include "replicate/replication_status.h"

#include <fstream>

#include "core/error.h"
#include "replicate/replication_state.h"
#include "replicate/replication_task.h"

namespace futureim::replicate {
namespace {

constexpr int64_t kLiveStatusUs = 10'000'000;  // status.json is rewritten about once a second

std::optional<nlohmann::json> ReadLiveStatus(const lake::RawTierLayout& layout) {
  std::ifstream in(ReplicationStatusPath(layout));
  if (!in) return std::nullopt;
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;  // best effort, like its writer
  }
}

}  // namespace

nlohmann::json ReplicationStatusReport(const lake::RawTierLayout& layout, int64_t now_us) {
  nlohmann::json report = {{"ok", true}, {"configured", false}, {"running", false}};
  std::optional<ReplicationState> state;
  try {
    state = ReadReplicationState(layout.ManifestPath());
  } catch (const core::Error& e) {
    report["ok"] = false;
    report["error"] = e.what();
    return report;
  }
  const auto live = ReadLiveStatus(layout);
  double source_lag = 0;
  if (live) {
    const int64_t updated = live->value("updated_at_us", int64_t{0});
    const std::string phase = live->value("phase", "");
    report["phase"] = phase;
    report["running"] = now_us - updated < kLiveStatusUs && phase != "stopped";
    source_lag = live->value("source_lag_seconds", 0.0);
    report["source_lag_seconds"] = source_lag;
    report["target_lag_ms"] = live->value("target_lag_ms", nlohmann::json::object());
    report["rows_per_second"] = live->value("rows_per_second", 0.0);
    if (live->contains("error")) {
      report["error"] = (*live)["error"].value("message", "");
      report["ok"] = false;
    }
  }
  if (!state) return report;
  report["configured"] = true;
  report["commit"] = state->commit;
  report["committed_at_us"] = state->committed_at_us;
  if (state->position) report["position"] = FormatBinlogPosition(*state->position);
  report["warnings"] = {{"zero_dates", state->zero_dates},
                        {"unsupported_values", state->unsupported_values}};
  nlohmann::json tables = nlohmann::json::array();
  for (const auto& [name, t] : state->tables) {
    const auto& n = t.counters;
    nlohmann::json row = {{"table", name},
                          {"state", TableStateName(t.state)},
                          {"rows_loaded", n.rows_loaded},
                          {"changes_applied", n.changes()},
                          {"inserts", n.inserts},
                          {"updates", n.updates},
                          {"deletes", n.deletes},
                          {"truncates", n.truncates},
                          {"load_chunks", t.load.chunks},
                          {"last_change_at_us", n.last_change_ts_us},
                          {"last_commit_at_us", n.last_commit_at_us},
                          {"foreign_keys", t.foreign_keys.size()}};
    if (t.state == TableState::kStreaming && live) {
      row["source_lag_seconds"] = source_lag;
    } else {
      row["source_lag_seconds"] = nullptr;
    }
    tables.push_back(std::move(row));
  }
  report["tables"] = std::move(tables);
  return report;
}

}  // namespace futureim::replicate
