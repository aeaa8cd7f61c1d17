#include "catalog/lake_catalog.h"

#include <fstream>
#include <sstream>

#include "core/error.h"
#include "lake/local_object_store.h"

namespace futureim::catalog {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Bumped when the stored shape changes incompatibly; Load refuses others so
// a reader never misreads a newer catalog.
constexpr int kFormatVersion = 1;

json ColumnToJson(const CatalogColumn& column) {
  json out = {{"name", column.name}, {"type", column.type}};
  if (column.partition) out["partition"] = true;
  return out;
}

json PartitionToJson(const CatalogPartition& partition) {
  json out = {{"name", partition.name},
              {"files", partition.files},
              {"rows", partition.rows},
              {"bytes", partition.bytes}};
  if (partition.current) out["current"] = true;
  return out;
}

json TableToJson(const CatalogTable& table) {
  json out = {{"tier", table.tier},          {"view", table.view},
              {"name", table.name},          {"location", table.location},
              {"rows", table.rows},          {"files", table.files},
              {"bytes", table.bytes},        {"updated_us", table.updated_us},
              {"encrypted", table.encrypted}};
  if (!table.system.empty()) out["system"] = table.system;
  if (!table.schema.empty()) out["schema"] = table.schema;
  if (table.last_change_us != 0) out["last_change_us"] = table.last_change_us;
  if (!table.current_run.empty()) out["current_run"] = table.current_run;
  out["columns"] = json::array();
  for (const auto& column : table.columns) out["columns"].push_back(ColumnToJson(column));
  out["primary_key"] = table.primary_key;
  out["partitions"] = json::array();
  for (const auto& partition : table.partitions) {
    out["partitions"].push_back(PartitionToJson(partition));
  }
  if (table.quality) out["quality"] = *table.quality;
  if (!table.error.empty()) out["error"] = table.error;
  return out;
}

CatalogTable TableFromJson(const json& in) {
  CatalogTable table;
  table.tier = in.at("tier").get<std::string>();
  table.view = in.at("view").get<std::string>();
  table.name = in.at("name").get<std::string>();
  table.location = in.at("location").get<std::string>();
  table.rows = in.at("rows").get<uint64_t>();
  table.files = in.at("files").get<uint64_t>();
  table.bytes = in.at("bytes").get<uint64_t>();
  table.updated_us = in.at("updated_us").get<int64_t>();
  table.encrypted = in.at("encrypted").get<bool>();
  table.system = in.value("system", "");
  table.schema = in.value("schema", "");
  table.last_change_us = in.value("last_change_us", int64_t{0});
  table.current_run = in.value("current_run", "");
  for (const auto& column : in.at("columns")) {
    table.columns.push_back({column.at("name").get<std::string>(),
                             column.at("type").get<std::string>(),
                             column.value("partition", false)});
  }
  table.primary_key = in.at("primary_key").get<std::vector<std::string>>();
  for (const auto& partition : in.at("partitions")) {
    table.partitions.push_back(
        {partition.at("name").get<std::string>(), partition.at("files").get<uint64_t>(),
         partition.at("rows").get<uint64_t>(), partition.at("bytes").get<uint64_t>(),
         partition.value("current", false)});
  }
  if (in.contains("quality")) table.quality = in.at("quality");
  table.error = in.value("error", "");
  return table;
}

}  // namespace

json CatalogTable::ToJson() const { return TableToJson(*this); }

std::optional<double> CatalogTable::QualityScore() const {
  if (!quality || !quality->is_object()) return std::nullopt;
  const auto score = quality->find("score");
  if (score == quality->end() || !score->is_number()) return std::nullopt;
  return score->get<double>();
}

const CatalogTable* LakeCatalog::Find(std::string_view name) const {
  const CatalogTable* by_folder = nullptr;
  int folder_matches = 0;
  for (const auto& table : tables) {
    if (table.view == name) return &table;
    if (table.name == name) {
      by_folder = &table;
      ++folder_matches;
    }
  }
  return folder_matches == 1 ? by_folder : nullptr;
}

json LakeCatalog::ToJson() const {
  json out = {{"format", kFormatVersion},
              {"crawled_at_us", crawled_at_us},
              {"lake_root", lake_root},
              {"tables", json::array()}};
  for (const auto& table : tables) out["tables"].push_back(TableToJson(table));
  return out;
}

LakeCatalog LakeCatalog::FromJson(const json& json_catalog) {
  try {
    const int format = json_catalog.at("format").get<int>();
    if (format != kFormatVersion) {
      throw core::Error("catalog format " + std::to_string(format) + " is not the supported " +
                        std::to_string(kFormatVersion) + ": run `futureim crawl` again");
    }
    LakeCatalog catalog;
    catalog.crawled_at_us = json_catalog.at("crawled_at_us").get<int64_t>();
    catalog.lake_root = json_catalog.at("lake_root").get<std::string>();
    for (const auto& table : json_catalog.at("tables")) {
      catalog.tables.push_back(TableFromJson(table));
    }
    return catalog;
  } catch (const json::exception& e) {
    throw core::Error(std::string("the catalog is damaged (") + e.what() +
                      "): run `futureim crawl` again");
  }
}

fs::path LakeCatalog::FilePath(const fs::path& root) { return root / "_futureim" / "catalog.json"; }

void LakeCatalog::Save(const fs::path& root) const {
  const fs::path file = FilePath(root);
  fs::create_directories(file.parent_path());
  lake::AtomicFileWriter writer(file);
  writer.Write(ToJson().dump(1) + "\n");
  writer.Commit();
}

std::optional<LakeCatalog> LakeCatalog::Load(const fs::path& root) {
  const fs::path file = FilePath(root);
  std::ifstream in(file);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  json parsed;
  try {
    parsed = json::parse(text.str());
  } catch (const json::exception& e) {
    throw core::Error("the catalog " + file.string() + " is damaged (" + e.what() +
                      "): run `futureim crawl` again");
  }
  return FromJson(parsed);
}

}  // namespace futureim::catalog
