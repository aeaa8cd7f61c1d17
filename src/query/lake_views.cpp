#include "query/lake_views.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "engine/sql_text.h"
#include "lake/parquet_encryption.h"
#include "lake/raw_tier_layout.h"
#include "lake/tier_layout.h"

namespace futureim::query {

using engine::PathListLiteral;
using engine::QuoteIdentifier;
namespace fs = std::filesystem;

namespace {

constexpr const char* kRawSchema = "raw";
constexpr const char* kRawCurrentSchema = "raw_current";
constexpr const char* kCuratedSchema = "curated";

// Primary key columns per "<schema>.<table>" from the replication manifest;
// nullopt when there is no manifest.
using PrimaryKeys = std::map<std::string, std::vector<std::string>>;

std::optional<PrimaryKeys> ReadPrimaryKeys(const lake::RawTierLayout& layout) {
  std::ifstream in(layout.ManifestPath());
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  PrimaryKeys keys;
  try {
    const auto manifest = nlohmann::json::parse(text.str());
    const auto tables = manifest.find("tables");
    if (tables == manifest.end() || !tables->is_object()) return keys;
    for (const auto& [name, table] : tables->items()) {
      keys[name] = table.value("primary_key", std::vector<std::string>{});
    }
  } catch (const nlohmann::json::exception& e) {
    throw core::Error("the replication manifest " + layout.ManifestPath().string() +
                      " is damaged: " + e.what());
  }
  return keys;
}

std::vector<fs::path> Normalised(std::vector<fs::path> files) {
  for (auto& file : files) file = fs::absolute(file).lexically_normal();
  return files;
}

class ViewBuilder {
 public:
  ViewBuilder(engine::Connection& connection, LakeViewCatalog& catalog, std::string key_name)
      : connection_(connection), catalog_(catalog), key_name_(std::move(key_name)) {}

  void CreateSchema(const std::string& schema) {
    connection_.Execute("CREATE SCHEMA IF NOT EXISTS " + QuoteIdentifier(schema));
  }

  // Creates schema.name AS `select`; a failure skips the view with DuckDB's
  // reason. Returns whether the view exists.
  bool CreateView(const std::string& schema, const std::string& name, const std::string& select,
                  std::vector<fs::path> files) {
    try {
      connection_.Execute("CREATE VIEW " + QuoteIdentifier(schema) + "." + QuoteIdentifier(name) +
                          " AS " + select);
    } catch (const engine::DuckDbError& e) {
      const auto key_error = lake::AsParquetKeyError(e, "the files of " + schema + "." + name,
                                                     key_name_.empty() ? "-" : key_name_);
      Skip(schema + "." + name, key_error ? key_error->what() : e.what());
      return false;
    }
    catalog_.files.insert(catalog_.files.end(), files.begin(), files.end());
    catalog_.views.push_back({schema, name, std::move(files)});
    return true;
  }

  // A view over one run of a versioned tier (curated, prod/<system>). The
  // run folder "run=<id>" looks like a Hive partition: DuckDB would add a
  // "run" column unless told otherwise.
  void CreateRunViews(const std::string& schema, const lake::RunTierLayout& tier) {
    for (const std::string& table : tier.Tables()) {
      std::vector<fs::path> files;
      std::optional<std::string> run;
      try {
        files = Normalised(tier.CurrentFiles(table));
        run = tier.CurrentRun(table);
      } catch (const core::Error& e) {
        Skip(schema + "." + table, e.what());
        continue;
      }
      if (files.empty()) {
        Skip(schema + "." + table, "no published run yet");
        continue;
      }
      CreateRunView(schema, table, files);
      // Rows of the run that failed validation (curation's quarantine).
      const fs::path quarantine = tier.RunDir(table, *run) / "_quarantine";
      std::vector<fs::path> quarantined;
      std::error_code ec;
      if (fs::is_directory(quarantine, ec)) {
        for (const auto& entry : fs::directory_iterator(quarantine)) {
          if (entry.is_regular_file() && entry.path().extension() == ".parquet" &&
              entry.path().filename().string()[0] != '.') {
            quarantined.push_back(entry.path());
          }
        }
      }
      std::sort(quarantined.begin(), quarantined.end());
      if (!quarantined.empty())
        CreateRunView(schema, table + "_quarantine", Normalised(quarantined));
    }
  }

  // One view over `files` of a run, encrypted or plain.
  void CreateRunView(const std::string& schema, const std::string& name,
                     const std::vector<fs::path>& files) {
    const std::string options = "union_by_name = true, hive_partitioning = false";
    bool encrypted = false;
    try {
      encrypted = lake::IsEncryptedParquetFile(files.front());
    } catch (const core::Error& e) {
      Skip(schema + "." + name, e.what());
      return;
    }
    if (!encrypted) {
      CreateView(schema, name,
                 "SELECT * FROM read_parquet(" + PathListLiteral(files) + ", " + options + ")",
                 files);
      return;
    }
    if (key_name_.empty()) {
      Skip(schema + "." + name, "its files are encrypted and the lake key (secret " +
                                    std::string(lake::kLakeKeySecret) + ") is not available");
      return;
    }
    std::vector<std::string> paths;
    for (const auto& file : files) paths.push_back(file.string());
    CreateView(schema, name,
               "SELECT * FROM " + lake::EncryptedParquetScan(paths, key_name_, options), files);
  }

  void Skip(const std::string& view, const std::string& reason) {
    catalog_.skipped.push_back(view + ": " + reason);
  }

 private:
  engine::Connection& connection_;
  LakeViewCatalog& catalog_;
  std::string key_name_;  // empty: no key registered
};

// The latest change per key by _seq, after the last truncate marker, without
// deleted keys. The marker has the table's highest-so-far _seq at the moment
// of the truncate, so "_seq > last marker" keeps exactly what came after it.
std::string CurrentStateSelect(const std::string& raw_view,
                               const std::vector<std::string>& primary_key) {
  std::string partition;
  for (const auto& column : primary_key) {
    if (!partition.empty()) partition += ", ";
    partition += "changes." + QuoteIdentifier(column);
  }
  return "WITH changes AS (SELECT * FROM " + raw_view +
         "), last_truncate AS (SELECT max(_seq) AS seq FROM changes WHERE _op = 'T') "
         "SELECT * FROM (SELECT changes.* FROM changes, last_truncate "
         "WHERE changes._op <> 'T' AND (last_truncate.seq IS NULL OR changes._seq > "
         "last_truncate.seq) QUALIFY row_number() OVER (PARTITION BY " +
         partition + " ORDER BY changes._seq DESC) = 1) AS latest WHERE _op <> 'D'";
}

void CreateRawViews(ViewBuilder& builder, const fs::path& lake_root) {
  const lake::RawTierLayout layout(lake_root);
  const uint64_t last_commit = layout.LastCommit();
  const auto primary_keys = ReadPrimaryKeys(layout);
  const auto tables = layout.Tables();
  std::map<std::string, int> name_count;
  for (const auto& table : tables) ++name_count[table.table];

  for (const auto& table : tables) {
    const std::string qualified = table.schema + "." + table.table;
    const std::string name =
        name_count[table.table] > 1 ? table.schema + "__" + table.table : table.table;
    const auto files = Normalised(layout.CommittedFiles(table.schema, table.table, last_commit));
    if (files.empty()) {
      builder.Skip(std::string(kRawSchema) + "." + name, "no committed files yet");
      continue;
    }
    const bool created = builder.CreateView(kRawSchema, name,
                                            "SELECT * FROM read_parquet(" + PathListLiteral(files) +
                                                ", union_by_name = true, hive_partitioning = true)",
                                            files);
    if (!created) continue;

    const std::string current = std::string(kRawCurrentSchema) + "." + name;
    if (!primary_keys) {
      builder.Skip(current, "no replication manifest");
      continue;
    }
    const auto key = primary_keys->find(qualified);
    if (key == primary_keys->end() || key->second.empty()) {
      builder.Skip(current, "the replication manifest lists no primary key for " + qualified);
      continue;
    }
    builder.CreateView(
        kRawCurrentSchema, name,
        CurrentStateSelect(QuoteIdentifier(kRawSchema) + "." + QuoteIdentifier(name), key->second),
        files);
  }
}

}  // namespace

LakeViewCatalog CreateLakeViews(engine::Connection& connection, const fs::path& lake_root,
                                const std::string& parquet_key_name) {
  LakeViewCatalog catalog;
  ViewBuilder builder(connection, catalog, parquet_key_name);
  for (const char* schema : {kRawSchema, kRawCurrentSchema, kCuratedSchema}) {
    builder.CreateSchema(schema);
  }
  CreateRawViews(builder, lake_root);
  builder.CreateRunViews(kCuratedSchema, lake::RunTierLayout::Curated(lake_root));
  for (const std::string& system : lake::RunTierLayout::ProdSystems(lake_root)) {
    if (system == kRawSchema || system == kRawCurrentSchema || system == kCuratedSchema) {
      builder.Skip("prod/" + system, "a system may not be named like a lake tier");
      continue;
    }
    builder.CreateSchema(system);
    builder.CreateRunViews(system, lake::RunTierLayout::Prod(lake_root, system));
  }
  return catalog;
}

}  // namespace futureim::query
