#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "catalog/lake_catalog.h"

namespace futureim::catalog {

// Walks every tier of a local lake and describes each table (`futureim
// crawl`): raw/<schema>/<table> (the committed files only, as
// lake::RawTierLayout says), curated/<table> and prod/<system>/<table> (every
// run folder; the counts of the table are those of the run `_current` names).
// Columns and row counts come from the Parquet files through DuckDB (row
// counts from the footers); primary keys and raw freshness from the
// replication manifest; quality from the current run's metadata file.
//
// Encrypted files are read with `lake_key` (base64, the secret
// lake.encryption_key). Without it, or with the wrong key, the table is still
// listed with its files and sizes, and `error` says why columns and rows are
// missing: one unreadable table never fails the crawl.
class LakeCrawler {
 public:
  LakeCrawler(std::filesystem::path lake_root, std::optional<std::string> lake_key);

  // Throws core::Error only for a lake-wide problem (no lake, a damaged
  // replication manifest).
  LakeCatalog Crawl() const;

 private:
  std::filesystem::path lake_root_;
  std::optional<std::string> lake_key_;
};

}  // namespace futureim::catalog
