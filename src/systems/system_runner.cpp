#include "systems/system_runner.h"

#include "core/error.h"
#include "lake/parquet_encryption.h"
#include "lake/parquet_files.h"
#include "lake/tier_layout.h"
#include "query/lake_views.h"

namespace futureim::systems {

namespace fs = std::filesystem;

nlohmann::json SystemRunReport::ToJson() const {
  nlohmann::json tables_json = nlohmann::json::array();
  for (const auto& table : tables)
    tables_json.push_back({{"table", table.table}, {"rows", table.rows}});
  return {{"system", system},   {"run_id", run_id},           {"tables", tables_json},
          {"metrics", metrics}, {"runs_pruned", runs_pruned}, {"seconds", seconds}};
}

SystemRunner::SystemRunner(SystemRunOptions options, const core::Config& config)
    : options_(std::move(options)), config_(config) {
  if (options_.encrypt && options_.encryption_key.empty()) {
    throw core::Error(
        "lake.encrypt is on but the secret lake.encryption_key is missing (key store or "
        "FUTUREIM_LAKE_ENCRYPTION_KEY)");
  }
  if (options_.keep_runs < 1) throw core::Error("pipeline.keep_runs must be at least 1");
}

SystemRunReport SystemRunner::Run(AnalyticsSystem& system) const {
  const auto started = std::chrono::steady_clock::now();
  const auto now = options_.now.value_or(std::chrono::system_clock::now());
  const std::string name(system.Name());
  const auto tier = lake::RunTierLayout::Prod(options_.lake_root, name);
  lake::RunTierWriterLock lock(tier.Root(), "run of " + name);

  const lake::RunScratchFolder scratch(tier.Root(), "system");
  engine::Database database(
      "", {{"memory_limit", options_.memory_limit}, {"temp_directory", scratch.Path().string()}});
  lake::InstallParquetCrypto(database);
  engine::Connection connection(database);
  connection.Execute("SET TimeZone = 'UTC'");
  const bool key_available = !options_.encryption_key.empty();
  std::string key_name;
  if (key_available) {
    lake::RegisterParquetKey(connection, lake::kLakeKeyName, options_.encryption_key,
                             "secret '" + std::string(lake::kLakeKeySecret) + "'");
    key_name = lake::kLakeKeyName;
  }
  query::CreateLakeViews(connection, options_.lake_root, key_name);
  for (const std::string_view table : system.RequiredCuratedTables()) {
    auto found = connection.Query(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'curated' AND "
        "table_name = $1",
        std::string(table));
    if (found.ScalarInt64().value_or(0) == 0) {
      throw SystemSkipped(name + " skipped: the lake has no curated." + std::string(table) +
                          " (replicate and curate it first)");
    }
  }
  const lake::ParquetFiles files(connection, options_.encrypt, key_available);

  SystemRunReport report;
  report.system = name;
  report.run_id = lake::RunTierLayout::RunIdAt(now);
  ProdRunWriter writer(tier, name, report.run_id, files);
  SystemRunContext context{connection, writer, now, options_.seed, config_};
  report.metrics = system.Run(context);
  if (writer.Tables().empty()) throw core::Error(name + " wrote no table");
  writer.Publish(report.metrics, lake::RunTierLayout::RunIdAt(now));
  report.tables = writer.Tables();
  for (const auto& table : report.tables) {
    report.runs_pruned += tier.PruneRuns(table.table, options_.keep_runs).size();
  }
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace futureim::systems
