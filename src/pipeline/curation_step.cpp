#include "pipeline/curation_step.h"

#include <algorithm>
#include <ctime>
#include <map>
#include <set>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "core/error.h"
#include "core/log.h"
#include "engine/duckdb.h"
#include "engine/sql_text.h"
#include "lake/parquet_encryption.h"
#include "lake/parquet_files.h"
#include "lake/raw_tier_layout.h"
#include "lake/tier_layout.h"
#include "pipeline/curated_table_merger.h"
#include "pipeline/foreign_key_enforcer.h"
#include "pipeline/pii_protection.h"
#include "replicate/replication_state.h"

namespace futureim::pipeline {

namespace fs = std::filesystem;
using engine::QuoteIdentifier;

namespace {

constexpr const char* kDataFile = "part-0.parquet";
constexpr const char* kQuarantineDir = "_quarantine";

// "2026-11-24 22:30:00.123456+00": a TIMESTAMPTZ literal.
std::string FormatTime(std::chrono::system_clock::time_point time) {
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(micros / 1'000'000);
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  char text[64];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &utc);
  char fraction[16];
  std::snprintf(fraction, sizeof fraction, ".%06lld", static_cast<long long>(micros % 1'000'000));
  return std::string(text) + fraction + "+00";
}

// One raw table to curate.
struct CurationTable {
  std::string name;  // curated name
  replicate::TableProgress progress;
  std::optional<std::string> previous_run;
  std::optional<CuratedRunRecord> previous_record;
};

// Curated names: the table name, or <schema>__<table> when two schemas share
// it (as the query views name raw tables).
std::vector<CurationTable> SelectTables(const replicate::ReplicationState& state,
                                        const lake::RunTierLayout& curated) {
  std::map<std::string, int> name_count;
  for (const auto& [qualified, progress] : state.tables) {
    if (progress.state != replicate::TableState::kDropped) ++name_count[progress.table];
  }
  std::vector<CurationTable> tables;
  for (const auto& [qualified, progress] : state.tables) {
    if (progress.state == replicate::TableState::kDropped) continue;
    CurationTable table;
    table.name =
        name_count[progress.table] > 1 ? progress.schema + "__" + progress.table : progress.table;
    table.progress = progress;
    table.previous_run = curated.CurrentRun(table.name);
    if (table.previous_run) {
      table.previous_record =
          CuratedRunRecord::Read(curated.RunDir(table.name, *table.previous_run));
    }
    tables.push_back(std::move(table));
  }
  return tables;
}

std::vector<fs::path> QuarantineFiles(const fs::path& run_dir) {
  const fs::path file = run_dir / kQuarantineDir / kDataFile;
  if (fs::exists(file)) return {file};
  return {};
}

std::vector<fs::path> DataFiles(const fs::path& run_dir) {
  const fs::path file = run_dir / kDataFile;
  if (fs::exists(file)) return {file};
  return {};
}

std::string ColumnList(const std::vector<std::string>& columns) {
  std::string list;
  for (const auto& column : columns) list += (list.empty() ? "" : ", ") + QuoteIdentifier(column);
  return list;
}

}  // namespace

nlohmann::json CurationReport::ToJson() const {
  nlohmann::json tables_json = nlohmann::json::array();
  for (const auto& table : tables) tables_json.push_back(table.ToJson());
  return {{"run_id", run_id},           {"raw_commit", raw_commit},
          {"from_commit", from_commit}, {"up_to_date", up_to_date},
          {"tables", tables_json},      {"on_delete_rows", on_delete_rows},
          {"runs_pruned", runs_pruned}, {"seconds", seconds}};
}

CurationStep::CurationStep(CurationOptions options) : options_(std::move(options)) {
  if (options_.pii_key.empty()) {
    throw core::Error(
        "curation needs the PII key: secret lake.pii_key (key store or "
        "FUTUREIM_LAKE_PII_KEY)");
  }
  if (options_.encrypt && options_.encryption_key.empty()) {
    throw core::Error(
        "lake.encrypt is on but the secret lake.encryption_key is missing (key "
        "store or FUTUREIM_LAKE_ENCRYPTION_KEY)");
  }
  if (options_.keep_runs < 1) throw core::Error("pipeline.keep_runs must be at least 1");
}

CurationReport CurationStep::Run() {
  const auto started = std::chrono::steady_clock::now();
  const auto now = options_.now.value_or(std::chrono::system_clock::now());
  const lake::RawTierLayout raw(options_.lake_root);
  const auto curated = lake::RunTierLayout::Curated(options_.lake_root);
  lake::RunTierWriterLock lock(curated.Root(), "`futureim pipeline run`");

  const auto state = replicate::ReadReplicationState(raw.ManifestPath());
  if (!state) {
    throw core::Error("no replication manifest at " + raw.ManifestPath().string() +
                      ": run `futureim replicate` first");
  }
  CurationReport report;
  report.run_id = lake::RunTierLayout::RunIdAt(now);
  report.raw_commit = state->commit;

  auto tables = SelectTables(*state, curated);
  // Resume from the oldest commit any table has merged (0 for a table never
  // curated): every table re-reads from there, so parent deletes are seen
  // by their children even when a kill left the tables on different runs.
  uint64_t from_commit = state->commit;
  bool all_current = !tables.empty();
  for (const auto& table : tables) {
    const uint64_t merged = table.previous_record ? table.previous_record->raw_commit : 0;
    from_commit = std::min(from_commit, merged);
    all_current = all_current && table.previous_record && merged == state->commit;
  }
  report.from_commit = from_commit;
  if (all_current) {
    report.up_to_date = true;
    for (const auto& table : tables) report.tables.push_back(*table.previous_record);
    return report;
  }

  // The run's database: in memory, spilling to a scratch folder in the lake.
  // Scratch folders of killed runs are removed first (the lock says no
  // other run is alive).
  const std::string scratch_prefix = ".futureim-tmp-pipeline-";
  for (const auto& entry : fs::directory_iterator(curated.Root())) {
    if (entry.path().filename().string().rfind(scratch_prefix, 0) == 0) {
      fs::remove_all(entry.path());
    }
  }
  const fs::path scratch = curated.Root() / (scratch_prefix + std::to_string(::getpid()));
  struct ScratchCleanup {
    fs::path path;
    ~ScratchCleanup() {
      std::error_code ignored;
      fs::remove_all(path, ignored);
    }
  } cleanup{scratch};
  engine::Database database("", {{"memory_limit", options_.memory_limit},
                                 {"temp_directory", scratch.string()},
                                 {"preserve_insertion_order", "false"}});
  lake::InstallParquetCrypto(database);
  engine::Connection connection(database);
  connection.Execute("SET TimeZone = 'UTC'");
  const bool key_available = !options_.encryption_key.empty();
  if (key_available) {
    lake::RegisterParquetKey(connection, lake::kLakeKeyName, options_.encryption_key,
                             "secret '" + std::string(lake::kLakeKeySecret) + "'");
  }
  RegisterPiiFunctions(connection, options_.pii_key);
  const lake::ParquetFiles files(connection, options_.encrypt, key_available);
  const std::string now_sql = "TIMESTAMPTZ " + engine::QuoteLiteral(FormatTime(now));
  CuratedTableMerger merger(connection, files, now_sql);

  // 1. Merge every table.
  std::map<std::string, std::string> curated_name;  // "schema.table" → curated name
  for (const auto& table : tables) curated_name[table.progress.QualifiedName()] = table.name;
  std::vector<MergedTableWithKeys> merged;
  std::vector<const CurationTable*> merged_sources;
  std::vector<size_t> raw_files_read;
  for (size_t i = 0; i < tables.size(); ++i) {
    const auto& table = tables[i];
    MergeInput input;
    input.table = table.name;
    input.primary_key = table.progress.primary_key;
    input.key_columns = input.primary_key;
    std::vector<ForeignKey> foreign_keys;
    for (const auto& fk : table.progress.foreign_keys) {
      input.key_columns.insert(input.key_columns.end(), fk.columns.begin(), fk.columns.end());
      const auto parent = curated_name.find(fk.parent_schema + "." + fk.parent_table);
      if (parent == curated_name.end()) continue;
      foreign_keys.push_back(
          {fk.name, fk.columns, parent->second, fk.parent_columns, fk.on_delete});
    }
    if (table.previous_run) {
      const fs::path run_dir = curated.RunDir(table.name, *table.previous_run);
      input.previous_files = DataFiles(run_dir);
      input.previous_quarantine = QuarantineFiles(run_dir);
      if (input.previous_files.empty()) {
        // A published run without rows has only a quarantine (or nothing):
        // its state is the quarantine alone.
        std::swap(input.previous_files, input.previous_quarantine);
      }
    }
    for (const auto& file :
         raw.CommittedFiles(table.progress.schema, table.progress.table, state->commit)) {
      const auto commit = lake::RawTierLayout::CommitOfFileName(file.filename().string());
      if (commit && *commit > from_commit) input.raw_files.push_back(file);
    }
    if (input.previous_files.empty() && input.raw_files.empty()) continue;
    try {
      merged.push_back(
          {table.name, merger.Merge(input, "t" + std::to_string(i)), std::move(foreign_keys)});
    } catch (const engine::DuckDbError& e) {
      if (auto key_error =
              lake::AsParquetKeyError(e, "the files of " + table.name, lake::kLakeKeyName)) {
        throw *key_error;
      }
      throw core::Error("curating " + table.name + " failed: " + e.what());
    }
    merged_sources.push_back(&table);
    raw_files_read.push_back(input.raw_files.size());
  }

  // 2. The source's foreign keys: ON DELETE actions, then integrity.
  ForeignKeyEnforcer enforcer(connection, merged);
  report.on_delete_rows = enforcer.ApplyOnDeleteActions();
  enforcer.ApplyReferenceRules();

  // 3. Score, split and write each table's new run.
  const std::string failed =
      std::string(kRowRuleColumn) + " IS NOT NULL OR " + kRefRuleColumn + " IS NOT NULL";
  for (size_t i = 0; i < merged.size(); ++i) {
    const auto& table = merged[i];
    const CurationTable& source = *merged_sources[i];
    CuratedRunRecord record;
    record.run_id = report.run_id;
    record.table = table.name;
    record.source = source.progress.QualifiedName();
    record.raw_commit = state->commit;
    record.from_commit = from_commit;
    record.changes_read = table.merged.changes;
    record.raw_files_read = raw_files_read[i];
    record.last_seq = std::max(table.merged.last_seq,
                               source.previous_record ? source.previous_record->last_seq : 0);
    record.encrypted = options_.encrypt;
    record.created_at = FormatTime(now);
    record.quality = MeasureQuality(connection, table.merged.state, table.merged.data_columns,
                                    source.progress.primary_key, kRowRuleColumn, kRefRuleColumn);

    const fs::path run_dir = curated.RunDir(table.name, report.run_id);
    fs::remove_all(run_dir);  // a leftover of a killed run with the same id
    const std::string columns = ColumnList(table.merged.data_columns) + ", _seq, _commit_ts";
    const std::string order = " ORDER BY " + ColumnList(table.merged.key);
    record.rows = files.Write(
        "SELECT " + columns + " FROM " + table.merged.state + " WHERE NOT (" + failed + ")" + order,
        run_dir / kDataFile);
    for (auto& row : connection
                         .Query("SELECT coalesce(_row_rule, _ref_rule) AS rule, count(*) FROM " +
                                table.merged.state + " WHERE " + failed + " GROUP BY rule")
                         .FetchAllAsText()) {
      const uint64_t count = std::stoull(row.at(1).value_or("0"));
      record.quarantine_rules[row.at(0).value_or("")] = count;
      record.quarantined += count;
    }
    if (record.quarantined > 0) {
      files.Write("SELECT " + columns + ", coalesce(_row_rule, _ref_rule) AS " + kRuleColumn +
                      ", CASE WHEN _row_rule IS NOT NULL THEN 'row' ELSE 'reference' END AS " +
                      kRuleKindColumn + " FROM " + table.merged.state + " WHERE " + failed + order,
                  run_dir / kQuarantineDir / kDataFile);
    }
    record.Write(run_dir);
    connection.Execute("DROP TABLE " + table.merged.state + "; DROP TABLE " + table.merged.deleted);
    core::log::Info("pipeline.table_curated", {{"table", table.name},
                                               {"rows", record.rows},
                                               {"quarantined", record.quarantined},
                                               {"quality", record.quality.overall}});
    report.tables.push_back(std::move(record));
  }

  // 4. Publish: every run is complete on disk; switch the pointers.
  for (const auto& record : report.tables) curated.Publish(record.table, report.run_id);
  for (const auto& record : report.tables) {
    report.runs_pruned += curated.PruneRuns(record.table, options_.keep_runs).size();
  }
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace futureim::pipeline
