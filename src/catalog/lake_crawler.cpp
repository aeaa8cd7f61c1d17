#include "catalog/lake_crawler.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/error.h"
#include "engine/duckdb.h"
#include "engine/sql_text.h"
#include "lake/parquet_encryption.h"
#include "lake/raw_tier_layout.h"
#include "lake/tier_layout.h"
#include "replicate/replication_state.h"

namespace futureim::catalog {

namespace fs = std::filesystem;

namespace {

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t ModifiedMicros(const fs::path& file) {
  std::error_code ec;
  const auto time = fs::last_write_time(file, ec);
  if (ec) return 0;
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::file_clock::to_sys(time).time_since_epoch())
      .count();
}

// Files, rows, bytes and columns of one set of Parquet files.
struct FileSetStats {
  std::map<fs::path, uint64_t> rows_per_file;
  std::vector<CatalogColumn> columns;
  bool encrypted = false;
  std::string error;
};

// Reads Parquet footers through one in-memory DuckDB that holds the lake key.
class ParquetFooterReader {
 public:
  explicit ParquetFooterReader(const std::optional<std::string>& lake_key)
      : database_("", {{"threads", "2"}}), connection_(database_) {
    lake::InstallParquetCrypto(database_);
    if (lake_key) {
      lake::RegisterParquetKey(connection_, lake::kLakeKeyName, *lake_key, lake::kLakeKeySecret);
      has_key_ = true;
    }
  }

  // Files of one table (or run): plaintext and encrypted files are scanned
  // separately, since one scan takes one key for every file it reads.
  FileSetStats Read(const std::vector<fs::path>& files) {
    FileSetStats stats;
    std::vector<std::string> plain;
    std::vector<std::string> encrypted;
    for (const auto& file : files) {
      (lake::IsEncryptedParquetFile(file) ? encrypted : plain).push_back(file.string());
    }
    stats.encrypted = !encrypted.empty();
    if (!plain.empty()) Scan(plain, false, stats);
    if (!encrypted.empty()) {
      if (!has_key_) {
        stats.error = std::to_string(encrypted.size()) +
                      " encrypted file(s) and no key: set the secret " +
                      std::string(lake::kLakeKeySecret);
      } else {
        Scan(encrypted, true, stats);
      }
    }
    return stats;
  }

 private:
  void Scan(const std::vector<std::string>& paths, bool encrypted, FileSetStats& stats) {
    const std::string options = "filename = true, union_by_name = true, hive_partitioning = false";
    std::string scan;
    if (encrypted) {
      scan = lake::EncryptedParquetScan(paths, lake::kLakeKeyName, options);
    } else {
      std::vector<fs::path> list(paths.begin(), paths.end());
      scan = "read_parquet(" + engine::PathListLiteral(list) + ", " + options + ")";
    }
    try {
      auto counts = connection_.Query("SELECT filename, count(*) FROM " + scan + " GROUP BY ALL");
      for (const auto& row : counts.FetchAllAsText()) {
        if (row[0] && row[1]) stats.rows_per_file[fs::path(*row[0])] = std::stoull(*row[1]);
      }
      auto described = connection_.Query("DESCRIBE SELECT * EXCLUDE (filename) FROM " + scan);
      std::set<std::string> seen;
      for (const auto& column : stats.columns) seen.insert(column.name);
      for (const auto& row : described.FetchAllAsText()) {
        if (row[0] && row[1] && seen.insert(*row[0]).second) {
          stats.columns.push_back({*row[0], *row[1], false});
        }
      }
    } catch (const engine::DuckDbError& error) {
      const std::string what = std::to_string(paths.size()) + " file(s) starting with " + paths[0];
      if (auto key_error = lake::AsParquetKeyError(error, what, lake::kLakeKeyName)) {
        stats.error = key_error->what();
      } else {
        stats.error = error.what();
      }
    }
  }

  engine::Database database_;
  engine::Connection connection_;
  bool has_key_ = false;
};

uint64_t FileBytes(const fs::path& file) {
  std::error_code ec;
  const auto size = fs::file_size(file, ec);
  return ec ? 0 : static_cast<uint64_t>(size);
}

// Adds `files` (already read into `stats`) to a partition and its table.
CatalogPartition SumPartition(std::string name, const std::vector<fs::path>& files,
                              const FileSetStats& stats) {
  CatalogPartition partition;
  partition.name = std::move(name);
  for (const auto& file : files) {
    ++partition.files;
    partition.bytes += FileBytes(file);
    const auto rows = stats.rows_per_file.find(file);
    if (rows != stats.rows_per_file.end()) partition.rows += rows->second;
  }
  return partition;
}

std::string RelativeDir(const fs::path& dir, const fs::path& lake_root) {
  return dir.lexically_relative(lake_root).generic_string() + "/";
}

std::vector<fs::path> Absolute(std::vector<fs::path> files) {
  for (auto& file : files) file = fs::absolute(file).lexically_normal();
  return files;
}

class TierCrawl {
 public:
  TierCrawl(const fs::path& lake_root, const std::optional<std::string>& lake_key)
      : lake_root_(fs::absolute(lake_root).lexically_normal()), reader_(lake_key) {}

  void CrawlRaw(LakeCatalog& catalog) {
    const lake::RawTierLayout layout(lake_root_);
    const uint64_t last_commit = layout.LastCommit();
    const auto manifest = replicate::ReadReplicationState(layout.ManifestPath());
    const auto tables = layout.Tables();
    std::map<std::string, int> name_count;
    for (const auto& table : tables) ++name_count[table.table];

    for (const auto& source : tables) {
      CatalogTable table;
      table.tier = "raw";
      table.schema = source.schema;
      table.name = source.table;
      // The view names of query/lake_views.h: <schema>__<table> on a clash.
      table.view = "raw." + (name_count[source.table] > 1 ? source.schema + "__" + source.table
                                                          : source.table);
      table.location = RelativeDir(layout.TableDir(source.schema, source.table), lake_root_);
      const auto files = Absolute(layout.CommittedFiles(source.schema, source.table, last_commit));
      const FileSetStats stats = Describe(files, table);
      std::map<std::string, std::vector<fs::path>> by_partition;
      for (const auto& file : files) {
        by_partition[file.parent_path().filename().string()].push_back(file);
        table.updated_us = std::max(table.updated_us, ModifiedMicros(file));
      }
      for (const auto& [name, partition_files] : by_partition) {
        table.partitions.push_back(SumPartition(name, partition_files, stats));
      }
      if (!table.columns.empty()) {
        table.columns.push_back({std::string(lake::RawTierLayout::kPartitionKey), "VARCHAR", true});
      }
      if (files.empty() && table.error.empty()) table.error = "no committed files yet";
      if (manifest) AddReplicationFacts(*manifest, table);
      catalog.tables.push_back(std::move(table));
    }
  }

  void CrawlRuns(LakeCatalog& catalog, const lake::RunTierLayout& tier,
                 const std::string& tier_name, const std::string& system) {
    const std::string view_schema = system.empty() ? tier_name : system;
    for (const std::string& name : tier.Tables()) {
      CatalogTable table;
      table.tier = tier_name;
      table.system = system;
      table.name = name;
      table.view = view_schema + "." + name;
      table.location = RelativeDir(tier.TableDir(name), lake_root_);
      std::optional<std::string> current;
      try {
        current = tier.CurrentRun(name);
      } catch (const core::Error& e) {
        table.error = e.what();
      }
      for (const std::string& run : tier.Runs(name)) {
        const auto files = Absolute(tier.RunFiles(name, run));
        const bool is_current = current && *current == run;
        const FileSetStats stats = is_current ? Describe(files, table) : reader_.Read(files);
        auto partition = SumPartition(lake::RunTierLayout::RunDirName(run), files, stats);
        partition.current = is_current;
        table.partitions.push_back(std::move(partition));
      }
      const auto runs = tier.Runs(name);
      if (current && std::find(runs.begin(), runs.end(), *current) == runs.end()) {
        table.error = "the current-run pointer names run " + *current + ", which does not exist";
        current.reset();
      }
      if (current) {
        table.current_run = *current;
        table.location = RelativeDir(tier.RunDir(name, *current), lake_root_);
        table.updated_us = ModifiedMicros(tier.CurrentPointerPath(name));
        ReadQuality(tier.RunMetadataPath(name, *current), table);
      } else if (table.error.empty()) {
        table.error = "no published run yet";
      }
      catalog.tables.push_back(std::move(table));
    }
  }

  const fs::path& lake_root() const { return lake_root_; }

 private:
  // Columns, counts and encryption of the files the table's view reads,
  // into `table`; returns what was read, for the partitions.
  FileSetStats Describe(const std::vector<fs::path>& files, CatalogTable& table) {
    FileSetStats stats = reader_.Read(files);
    table.columns = stats.columns;
    table.encrypted = stats.encrypted;
    if (!stats.error.empty()) table.error = stats.error;
    for (const auto& file : files) {
      ++table.files;
      table.bytes += FileBytes(file);
      const auto rows = stats.rows_per_file.find(file);
      if (rows != stats.rows_per_file.end()) table.rows += rows->second;
    }
    return stats;
  }

  // What the replication manifest knows of a raw table: its primary key and
  // freshness (the last commit that touched it, its newest source change).
  static void AddReplicationFacts(const replicate::ReplicationState& manifest,
                                  CatalogTable& table) {
    const auto progress = manifest.tables.find(table.schema + "." + table.name);
    if (progress == manifest.tables.end()) return;
    table.primary_key = progress->second.primary_key;
    if (progress->second.counters.last_commit_at_us != 0) {
      table.updated_us = progress->second.counters.last_commit_at_us;
    }
    table.last_change_us = progress->second.counters.last_change_ts_us;
  }

  // The optional "quality" object of the run's metadata (the contract in
  // docs/ARCHITECTURE.md, "Catalog"); a damaged file is reported, not fatal.
  static void ReadQuality(const fs::path& metadata_file, CatalogTable& table) {
    std::ifstream in(metadata_file);
    if (!in) return;
    std::stringstream text;
    text << in.rdbuf();
    try {
      const auto metadata = nlohmann::json::parse(text.str());
      const auto quality = metadata.find("quality");
      if (quality != metadata.end() && quality->is_object()) table.quality = *quality;
    } catch (const nlohmann::json::exception& e) {
      table.error = "the run metadata " + metadata_file.string() + " is damaged: " + e.what();
    }
  }

  fs::path lake_root_;
  ParquetFooterReader reader_;
};

// Names query/lake_views.h refuses for an analytics system.
bool IsTierName(const std::string& name) {
  return name == "raw" || name == "raw_current" || name == "curated";
}

}  // namespace

LakeCrawler::LakeCrawler(fs::path lake_root, std::optional<std::string> lake_key)
    : lake_root_(std::move(lake_root)), lake_key_(std::move(lake_key)) {}

LakeCatalog LakeCrawler::Crawl() const {
  std::error_code ec;
  if (!fs::is_directory(lake_root_, ec)) {
    throw core::Error("no lake at " + lake_root_.string() + ": run `futureim init`");
  }
  TierCrawl crawl(lake_root_, lake_key_);
  LakeCatalog catalog;
  catalog.crawled_at_us = NowMicros();
  catalog.lake_root = crawl.lake_root().string();
  crawl.CrawlRaw(catalog);
  crawl.CrawlRuns(catalog, lake::RunTierLayout::Curated(lake_root_), "curated", "");
  for (const std::string& system : lake::RunTierLayout::ProdSystems(lake_root_)) {
    if (IsTierName(system)) continue;  // lake_views skips it too: no view to describe
    crawl.CrawlRuns(catalog, lake::RunTierLayout::Prod(lake_root_, system), "prod", system);
  }
  return catalog;
}

}  // namespace futureim::catalog
