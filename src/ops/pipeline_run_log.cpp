#include "ops/pipeline_run_log.h"

namespace futureim::ops {

std::optional<double> PipelineRun::DurationSeconds() const {
  if (!finished_ms) return std::nullopt;
  return static_cast<double>(*finished_ms - started_ms) / 1000.0;
}

nlohmann::json PipelineRun::ToJson() const {
  nlohmann::json json = {{"id", id},
                         {"trigger", trigger},
                         {"actor", actor},
                         {"started_ms", started_ms},
                         {"finished_ms", nullptr},
                         {"duration_seconds", nullptr},
                         {"status", status},
                         {"curation_run", curation_run},
                         {"tables", tables}};
  if (finished_ms) {
    json["finished_ms"] = *finished_ms;
    json["duration_seconds"] = *DurationSeconds();
  }
  if (!error.empty()) json["error"] = error;
  return json;
}

PipelineRunLog::PipelineRunLog(const std::filesystem::path& metadata_file)
    : db_(metadata::SqliteDatabase::Open(metadata_file)) {
  db_.Execute(
      "UPDATE pipeline_runs SET status = 'failed', finished_ms = started_ms, "
      "error = 'interrupted: the server stopped during the run' WHERE status = 'running'");
}

int64_t PipelineRunLog::Start(const std::string& trigger, const std::string& actor,
                              int64_t now_ms) {
  std::lock_guard lock(mutex_);
  auto statement = db_.Prepare(
      "INSERT INTO pipeline_runs(trigger, actor, started_ms, status) VALUES(?, ?, ?, 'running') "
      "RETURNING id");
  statement.Bind(1, trigger).Bind(2, actor).Bind(3, now_ms);
  statement.Step();
  return statement.GetInt(0);
}

void PipelineRunLog::Succeed(int64_t id, int64_t now_ms, const std::string& curation_run,
                             int64_t tables) {
  std::lock_guard lock(mutex_);
  auto statement = db_.Prepare(
      "UPDATE pipeline_runs SET status = 'succeeded', finished_ms = ?, curation_run = ?, "
      "tables = ? WHERE id = ?");
  statement.Bind(1, now_ms).Bind(2, curation_run).Bind(3, tables).Bind(4, id);
  statement.Step();
}

void PipelineRunLog::Fail(int64_t id, int64_t now_ms, const std::string& error) {
  std::lock_guard lock(mutex_);
  auto statement = db_.Prepare(
      "UPDATE pipeline_runs SET status = 'failed', finished_ms = ?, error = ? WHERE id = ?");
  statement.Bind(1, now_ms).Bind(2, error.substr(0, 2000)).Bind(3, id);
  statement.Step();
}

std::vector<PipelineRun> PipelineRunLog::Select(const std::string& where_and_order, int64_t limit,
                                                int64_t id) {
  auto statement = db_.Prepare(
      "SELECT id, trigger, actor, started_ms, finished_ms, status, curation_run, tables, error "
      "FROM pipeline_runs " +
      where_and_order + " LIMIT ?1");
  statement.Bind(1, limit);
  if (where_and_order.find("?2") != std::string::npos) statement.Bind(2, id);
  std::vector<PipelineRun> runs;
  while (statement.Step()) {
    PipelineRun run;
    run.id = statement.GetInt(0);
    run.trigger = statement.GetText(1);
    run.actor = statement.GetText(2);
    run.started_ms = statement.GetInt(3);
    if (!statement.IsNull(4)) run.finished_ms = statement.GetInt(4);
    run.status = statement.GetText(5);
    run.curation_run = statement.GetText(6);
    run.tables = statement.GetInt(7);
    run.error = statement.GetText(8);
    runs.push_back(std::move(run));
  }
  return runs;
}

std::optional<PipelineRun> PipelineRunLog::Find(int64_t id) {
  std::lock_guard lock(mutex_);
  auto runs = Select("WHERE id = ?2", 1, id);
  if (runs.empty()) return std::nullopt;
  return runs.front();
}

std::vector<PipelineRun> PipelineRunLog::Recent(int64_t limit) {
  std::lock_guard lock(mutex_);
  return Select("ORDER BY id DESC", limit);
}

std::optional<PipelineRun> PipelineRunLog::LastFinished() {
  std::lock_guard lock(mutex_);
  auto runs = Select("WHERE status != 'running' ORDER BY id DESC", 1);
  if (runs.empty()) return std::nullopt;
  return runs.front();
}

PipelineRunCounts PipelineRunLog::Counts() {
  std::lock_guard lock(mutex_);
  auto statement = db_.Prepare("SELECT status, count(*) FROM pipeline_runs GROUP BY status");
  PipelineRunCounts counts;
  while (statement.Step()) {
    const std::string status = statement.GetText(0);
    const auto n = static_cast<uint64_t>(statement.GetInt(1));
    if (status == "succeeded") counts.succeeded = n;
    if (status == "failed") counts.failed = n;
    if (status == "running") counts.running = n;
  }
  return counts;
}

}  // namespace futureim::ops
