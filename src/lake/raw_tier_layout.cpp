#include "lake/raw_tier_layout.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace futureim::lake {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kInProgressSuffix = ".parquet.inprogress";
constexpr std::string_view kParquetSuffix = ".parquet";

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool IsDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

RawTierLayout::RawTierLayout(fs::path lake_root) : lake_root_(std::move(lake_root)) {}

fs::path RawTierLayout::TableDir(std::string_view schema, std::string_view table) const {
  return RawRoot() / std::string(schema) / std::string(table);
}

fs::path RawTierLayout::PartitionDir(std::string_view schema, std::string_view table,
                                     int64_t days) const {
  const std::chrono::year_month_day date{std::chrono::sys_days{std::chrono::days{days}}};
  char name[64];
  std::snprintf(name, sizeof(name), "%s=%04d-%02u-%02u", kPartitionKey.data(),
                static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()));
  return TableDir(schema, table) / name;
}

fs::path RawTierLayout::StateDir() const { return RawRoot() / "_futureim" / "replication"; }

fs::path RawTierLayout::ManifestPath() const { return StateDir() / "manifest.json"; }

std::string RawTierLayout::CommittedFileName(uint64_t commit, uint32_t index) {
  char name[64];
  std::snprintf(name, sizeof(name), "c%010llu_%06u.parquet",
                static_cast<unsigned long long>(commit), index);
  return name;
}

std::optional<uint64_t> RawTierLayout::CommitOfFileName(std::string_view file_name) {
  if (file_name.size() < 2 || file_name[0] != 'c' || !EndsWith(file_name, kParquetSuffix)) {
    return std::nullopt;
  }
  const std::string_view stem = file_name.substr(1, file_name.size() - 1 - kParquetSuffix.size());
  const size_t underscore = stem.find('_');
  if (underscore == std::string_view::npos) return std::nullopt;
  const std::string_view commit = stem.substr(0, underscore);
  if (!IsDigits(commit) || !IsDigits(stem.substr(underscore + 1))) return std::nullopt;
  uint64_t value = 0;
  const auto result = std::from_chars(commit.data(), commit.data() + commit.size(), value);
  if (result.ec != std::errc()) return std::nullopt;
  return value;
}

std::string RawTierLayout::InProgressFileName(std::string_view id) {
  return "." + std::string(id) + std::string(kInProgressSuffix);
}

bool RawTierLayout::IsInProgressFileName(std::string_view file_name) {
  return !file_name.empty() && file_name[0] == '.' && EndsWith(file_name, kInProgressSuffix);
}

uint64_t RawTierLayout::LastCommit() const {
  const fs::path path = ManifestPath();
  std::ifstream in(path);
  if (!in) {
    std::error_code ec;
    if (!fs::exists(path, ec)) return 0;
    throw core::Error("cannot read the replication manifest " + path.string());
  }
  std::stringstream text;
  text << in.rdbuf();
  try {
    return nlohmann::json::parse(text.str()).at("commit").get<uint64_t>();
  } catch (const nlohmann::json::exception& e) {
    throw core::Error("the replication manifest " + path.string() + " is damaged: " + e.what());
  }
}

std::vector<RawTierLayout::TableName> RawTierLayout::Tables() const {
  std::vector<TableName> tables;
  std::error_code ec;
  if (!fs::is_directory(RawRoot(), ec)) return tables;
  for (const auto& schema : fs::directory_iterator(RawRoot())) {
    const std::string schema_name = schema.path().filename().string();
    if (!schema.is_directory() || schema_name.starts_with("_") || schema_name.starts_with(".")) {
      continue;
    }
    for (const auto& table : fs::directory_iterator(schema.path())) {
      const std::string table_name = table.path().filename().string();
      if (table.is_directory() && !table_name.starts_with("_") && !table_name.starts_with(".")) {
        tables.push_back({schema_name, table_name});
      }
    }
  }
  std::sort(tables.begin(), tables.end(), [](const TableName& a, const TableName& b) {
    return std::tie(a.schema, a.table) < std::tie(b.schema, b.table);
  });
  return tables;
}

std::vector<fs::path> RawTierLayout::CommittedFiles(std::string_view schema, std::string_view table,
                                                    uint64_t last_commit) const {
  struct Entry {
    std::string name;
    fs::path path;
  };
  std::vector<Entry> entries;
  std::error_code ec;
  const fs::path dir = TableDir(schema, table);
  if (!fs::is_directory(dir, ec)) return {};
  for (const auto& partition : fs::directory_iterator(dir)) {
    if (!partition.is_directory()) continue;
    for (const auto& file : fs::directory_iterator(partition.path())) {
      std::string name = file.path().filename().string();
      const auto commit = CommitOfFileName(name);
      if (commit && *commit <= last_commit) entries.push_back({std::move(name), file.path()});
    }
  }
  // Names are fixed-width, so name order is (commit, index) order.
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.name < b.name; });
  std::vector<fs::path> files;
  files.reserve(entries.size());
  for (auto& entry : entries) files.push_back(std::move(entry.path));
  return files;
}

}  // namespace futureim::lake
