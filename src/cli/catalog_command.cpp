// futureim crawl: build the lake's catalog (src/catalog/) and store it.
// futureim catalog list|show|ddl: answer from the stored catalog.

#include <ctime>
#include <iostream>

#include "catalog/external_table_ddl.h"
#include "catalog/lake_catalog.h"
#include "catalog/lake_crawler.h"
#include "cli/command_context.h"
#include "core/error.h"
#include "lake/parquet_encryption.h"
#include "query/result_format.h"

namespace futureim::cli {
namespace {

using catalog::CatalogTable;
using catalog::LakeCatalog;

std::filesystem::path LakeRoot(CommandContext& context) {
  const auto lake_root = context.config().GetPath("lake.path");
  if (!std::filesystem::is_directory(lake_root)) {
    throw core::Error("no lake at " + lake_root.string() + ": run `futureim init`");
  }
  return lake_root;
}

LakeCatalog StoredCatalog(CommandContext& context) {
  const auto lake_root = LakeRoot(context);
  auto stored = LakeCatalog::Load(lake_root);
  if (!stored) {
    throw core::Error("no catalog yet for the lake at " + lake_root.string() +
                      ": run `futureim crawl`");
  }
  return std::move(*stored);
}

// Where external engines find the lake: the S3 bucket and prefix with the s3
// backend, else the local folder as a file:// URI. Always ends in '/'.
std::string LocationRoot(CommandContext& context) {
  const auto& config = context.config();
  if (config.GetString("lake.backend") == "s3") {
    std::string prefix = config.GetString("lake.s3_prefix");
    while (prefix.starts_with("/")) prefix.erase(0, 1);
    while (prefix.ends_with("/")) prefix.pop_back();
    return "s3://" + config.GetString("lake.s3_bucket") + "/" +
           (prefix.empty() ? "" : prefix + "/");
  }
  return "file://" + std::filesystem::absolute(LakeRoot(context)).lexically_normal().string() + "/";
}

std::string HumanBytes(uint64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  size_t unit = 0;
  while (value >= 1024 && unit + 1 < std::size(units)) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.1f %s", value, units[unit]);
  return text;
}

std::string UtcTime(int64_t micros) {
  if (micros <= 0) return "";
  const std::time_t seconds = static_cast<std::time_t>(micros / 1000000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%SZ", &tm);
  return text;
}

std::string QualityText(const CatalogTable& table) {
  const auto score = table.QualityScore();
  if (!score) return "";
  char text[16];
  std::snprintf(text, sizeof text, "%.3f", *score);
  return text;
}

query::QueryResult TableOfTables(const LakeCatalog& catalog) {
  query::QueryResult result;
  const auto number = query::JsonKind::kNumber;
  const auto text = query::JsonKind::kString;
  result.columns = {{"table", "VARCHAR", text},       {"tier", "VARCHAR", text},
                    {"columns", "BIGINT", number},    {"rows", "BIGINT", number},
                    {"files", "BIGINT", number},      {"size", "VARCHAR", text},
                    {"partitions", "BIGINT", number}, {"updated", "VARCHAR", text},
                    {"quality", "VARCHAR", text},     {"note", "VARCHAR", text}};
  for (const auto& table : catalog.tables) {
    result.rows.push_back(
        {table.view, table.tier, std::to_string(table.columns.size()), std::to_string(table.rows),
         std::to_string(table.files), HumanBytes(table.bytes),
         std::to_string(table.partitions.size()), UtcTime(table.updated_us), QualityText(table),
         (table.encrypted ? std::string("encrypted") : std::string()) +
             (table.encrypted && !table.error.empty() ? "; " : "") + table.error});
  }
  return result;
}

void PrintCatalog(const LakeCatalog& catalog, bool json) {
  if (json) {
    std::cout << catalog.ToJson().dump(2) << "\n";
    return;
  }
  std::cout << query::FormatAsTable(TableOfTables(catalog));
}

void PrintTable(const CatalogTable& table, bool json) {
  if (json) {
    LakeCatalog one;
    one.tables.push_back(table);
    std::cout << one.ToJson()["tables"][0].dump(2) << "\n";
    return;
  }
  std::cout << table.view << " (" << table.tier << ")\n"
            << "  location:    " << table.location << "\n"
            << "  rows:        " << table.rows << "\n"
            << "  files:       " << table.files << " (" << HumanBytes(table.bytes) << ")\n"
            << "  updated:     " << UtcTime(table.updated_us) << "\n";
  if (table.last_change_us != 0) {
    std::cout << "  last change: " << UtcTime(table.last_change_us) << " (source commit time)\n";
  }
  if (!table.current_run.empty()) std::cout << "  current run: " << table.current_run << "\n";
  if (!table.primary_key.empty()) {
    std::string key;
    for (const auto& column : table.primary_key) key += (key.empty() ? "" : ", ") + column;
    std::cout << "  primary key: " << key << "\n";
  }
  if (table.encrypted) std::cout << "  encrypted:   yes (AES-GCM, lake.encryption_key)\n";
  if (table.quality) std::cout << "  quality:     " << table.quality->dump() << "\n";
  if (!table.error.empty()) std::cout << "  note:        " << table.error << "\n";
  std::cout << "  columns:\n";
  for (const auto& column : table.columns) {
    std::cout << "    " << column.name << "  " << column.type
              << (column.partition ? "  (partition)" : "") << "\n";
  }
  std::cout << "  partitions:\n";
  for (const auto& partition : table.partitions) {
    std::cout << "    " << partition.name << "  " << partition.rows << " rows, " << partition.files
              << " files, " << HumanBytes(partition.bytes)
              << (partition.current ? "  (current)" : "") << "\n";
  }
}

struct CatalogOptions {
  bool json = false;
  std::string table;
  std::string dialect;
  std::string location;
};

}  // namespace

void AddCatalogCommands(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<CatalogOptions>();

  auto* crawl = app.add_subcommand(
      "crawl", "Build the catalog of every lake tier (raw, curated, prod) and store it");
  crawl->add_flag("--json", options->json, "Print the catalog as JSON");
  crawl->callback([&context, options] {
    context.run = [&context, options] {
      context.lake_root();  // refuses a lake this build does not keep locally
      const auto lake_root = LakeRoot(context);
      auto key = context.secrets().Get(lake::kLakeKeySecret);
      const catalog::LakeCrawler crawler(lake_root, key);
      const LakeCatalog catalog = crawler.Crawl();
      catalog.Save(lake_root);
      PrintCatalog(catalog, options->json);
      if (!options->json) {
        std::cout << "catalog stored in " << LakeCatalog::FilePath(lake_root).string() << "\n";
      }
      return kExitOk;
    };
  });

  auto* command = app.add_subcommand(
      "catalog",
      "Show the stored catalog (from `futureim crawl`); print DDL for Athena/Trino/Spark");
  command->require_subcommand(1);
  auto* list = command->add_subcommand("list", "Every table of every tier");
  list->add_flag("--json", options->json, "Print JSON");
  list->callback([&context, options] {
    context.run = [&context, options] {
      PrintCatalog(StoredCatalog(context), options->json);
      return kExitOk;
    };
  });

  auto* show = command->add_subcommand("show", "One table: columns, partitions, counts, quality");
  show->add_option("table", options->table, "The view name (raw.orders) or the table's name")
      ->required();
  show->add_flag("--json", options->json, "Print JSON");
  show->callback([&context, options] {
    context.run = [&context, options] {
      const auto catalog = StoredCatalog(context);
      const CatalogTable* table = catalog.Find(options->table);
      if (table == nullptr) {
        throw core::Error("no table '" + options->table +
                          "' in the catalog (or the name is ambiguous: use the view name, "
                          "e.g. raw.orders); `futureim catalog list` shows them");
      }
      PrintTable(*table, options->json);
      return kExitOk;
    };
  });

  auto* ddl =
      command->add_subcommand("ddl", "CREATE EXTERNAL TABLE statements for the lake's layout");
  ddl->add_option("--dialect", options->dialect, "athena, trino or spark")
      ->required()
      ->check(CLI::IsMember({"athena", "trino", "spark"}));
  ddl->add_option("--location", options->location,
                  "Base URI of the lake for the engine (default: the S3 bucket/prefix with "
                  "lake.backend = s3, else file://<lake.path>/)");
  ddl->callback([&context, options] {
    context.run = [&context, options] {
      const auto dialect = catalog::ParseSqlDialect(options->dialect);
      if (!dialect) throw core::Error("--dialect must be athena, trino or spark");
      std::string root = options->location.empty() ? LocationRoot(context) : options->location;
      if (!root.ends_with("/")) root += "/";
      std::cout << catalog::LakeDdl(StoredCatalog(context), *dialect, root);
      return kExitOk;
    };
  });
}

}  // namespace futureim::cli
