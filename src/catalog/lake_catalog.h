#pragma once

// The lake's catalog: what `futureim crawl` found in every tier, stored as one
// JSON file in the lake (<lake>/_futureim/catalog.json) so readers (the CLI's
// `catalog` command, the API's /ops/catalog) answer from it without touching
// a single Parquet file. docs/ARCHITECTURE.md ("Catalog") explains the choice.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace futureim::catalog {

struct CatalogColumn {
  std::string name;
  std::string type;  // the DuckDB type of the Parquet column, e.g. "DECIMAL(12,2)"
  // A Hive partition column (raw: commit_date): a folder name, not in the files.
  bool partition = false;
};

// One partition of a table: a commit_date=YYYY-MM-DD folder of a raw table,
// or one run=<id> folder of a curated/prod table.
struct CatalogPartition {
  std::string name;  // the folder name, e.g. "commit_date=2026-01-01" or "run=20260101T0000"
  uint64_t files = 0;
  uint64_t rows = 0;
  uint64_t bytes = 0;
  bool current = false;  // runs: the run `_current` names
};

struct CatalogTable {
  std::string tier;    // "raw", "curated" or "prod"
  std::string system;  // prod: the analytics system; otherwise empty
  std::string schema;  // raw: the source schema; otherwise empty
  std::string name;    // the table's folder name
  // The query view (query/lake_views.h), e.g. "raw.orders", "curated.orders",
  // "demand_insights_engine.customer_segments".
  std::string view;
  // What the view reads, relative to the lake root, ending in '/': the
  // table folder (raw) or the current run's folder (curated, prod).
  std::string location;
  std::vector<CatalogColumn> columns;  // file columns, then partition columns
  std::vector<std::string> primary_key;
  std::vector<CatalogPartition> partitions;
  // What the view reads: raw, every committed change; runs, the current run.
  uint64_t rows = 0;
  uint64_t files = 0;
  uint64_t bytes = 0;
  std::string current_run;  // curated/prod
  // Freshness, microseconds since the epoch (0: unknown). updated_us: when
  // the lake last changed the table (raw: the last commit that touched it;
  // runs: the publish of the current run). last_change_us (raw): the source
  // commit time of the newest change it holds.
  int64_t updated_us = 0;
  int64_t last_change_us = 0;
  bool encrypted = false;  // the files are Parquet-encrypted (AES-GCM)
  // The current run's data-quality object from its run metadata (see
  // lake::RunTierLayout::RunMetadataPath), as written by curation.
  std::optional<nlohmann::json> quality;
  // Why columns or row counts are missing (e.g. no key for encrypted files).
  std::string error;

  // The quality object's "score" (0..1) when it has one.
  std::optional<double> QualityScore() const;
  // The table as stored in catalog.json.
  nlohmann::json ToJson() const;
};

struct LakeCatalog {
  int64_t crawled_at_us = 0;
  std::string lake_root;  // absolute path of the crawled lake
  std::vector<CatalogTable> tables;

  // The table whose view is `name` ("raw.orders"), or whose folder name is
  // `name` when exactly one table has it; nullptr otherwise.
  const CatalogTable* Find(std::string_view name) const;

  nlohmann::json ToJson() const;
  // Throws core::Error when the JSON does not have the catalog's shape.
  static LakeCatalog FromJson(const nlohmann::json& json);

  // <root>/_futureim/catalog.json (root: the lake's root folder).
  static std::filesystem::path FilePath(const std::filesystem::path& root);
  // Writes the catalog atomically (temp + rename): readers see the previous
  // catalog or this one.
  void Save(const std::filesystem::path& root) const;
  // The stored catalog; nullopt when there is none yet. Throws core::Error
  // when the file is damaged.
  static std::optional<LakeCatalog> Load(const std::filesystem::path& root);
};

}  // namespace futureim::catalog
