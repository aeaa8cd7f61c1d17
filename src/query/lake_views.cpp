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
#include "lake/raw_current_state.h"
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

// What the replication manifest says of each "<schema>.<table>": its
// primary key and foreign keys; nullopt when there is no manifest.
struct ManifestTable {
  std::vector<std::string> primary_key;
  std::vector<lake::ForeignKeyRule> foreign_keys;
};
using ManifestTables = std::map<std::string, ManifestTable>;

std::optional<ManifestTables> ReadManifestTables(const lake::RawTierLayout& layout) {
  std::ifstream in(layout.ManifestPath());
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  ManifestTables out;
  try {
    const auto manifest = nlohmann::json::parse(text.str());
    const auto tables = manifest.find("tables");
    if (tables == manifest.end() || !tables->is_object()) return out;
    for (const auto& [name, table] : tables->items()) {
      auto& entry = out[name];
      entry.primary_key = table.value("primary_key", std::vector<std::string>{});
      for (const auto& rule : table.value("foreign_keys", nlohmann::json::array())) {
        entry.foreign_keys.push_back(lake::ForeignKeyRuleFromJson(rule));
      }
    }
  } catch (const nlohmann::json::exception& e) {
    throw core::Error("the replication manifest " + layout.ManifestPath().string() +
                      " is damaged: " + e.what());
  }
  return out;
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

void CreateRawViews(ViewBuilder& builder, const fs::path& lake_root) {
  const lake::RawTierLayout layout(lake_root);
  const uint64_t last_commit = layout.LastCommit();
  const auto manifest = ReadManifestTables(layout);
  const auto tables = layout.Tables();
  std::map<std::string, int> name_count;
  for (const auto& table : tables) ++name_count[table.table];
  std::vector<lake::RawTableChanges> raw_views;  // the tables that get a raw_current view
  std::vector<std::pair<std::string, std::vector<fs::path>>> raw_view_files;  // name, files

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
    if (!manifest) {
      builder.Skip(current, "no replication manifest");
      continue;
    }
    const auto entry = manifest->find(qualified);
    if (entry == manifest->end() || entry->second.primary_key.empty()) {
      builder.Skip(current, "the replication manifest lists no primary key for " + qualified);
      continue;
    }
    raw_views.push_back({table.schema, table.table, entry->second.primary_key,
                         entry->second.foreign_keys,
                         QuoteIdentifier(kRawSchema) + "." + QuoteIdentifier(name)});
    raw_view_files.emplace_back(name, files);
  }

  // Current states after every raw view exists: a child's state also reads
  // its parents' raw views (ON DELETE actions, lake/raw_current_state.h),
  // whose files are on the allow-list already.
  const lake::RawCurrentState states(raw_views);
  for (const auto& rule : states.IgnoredRules()) builder.Skip("raw_current foreign key", rule);
  for (size_t i = 0; i < raw_views.size(); ++i) {
    builder.CreateView(kRawCurrentSchema, raw_view_files[i].first,
                       states.Select(raw_views[i].schema, raw_views[i].table),
                       raw_view_files[i].second);
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
