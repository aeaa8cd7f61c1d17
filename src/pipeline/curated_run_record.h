#pragma once

// What one curation run recorded about one table, kept beside its files as
// curated/<table>/run=<id>/_run.json (a '_' name: not data). The next run
// reads the current run's record to know where to resume (raw_commit) and
// the catalog reads the quality score from it.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "pipeline/quality_score.h"

namespace futureim::pipeline {

struct CuratedRunRecord {
  std::string run_id;
  std::string table;         // curated name
  std::string source;        // "schema.table" in the raw tier
  uint64_t raw_commit = 0;   // every raw commit <= this is merged
  uint64_t from_commit = 0;  // raw files of commits > this were read
  uint64_t last_seq = 0;     // the highest _seq merged so far
  uint64_t rows = 0;         // published
  uint64_t quarantined = 0;
  std::map<std::string, uint64_t> quarantine_rules;  // rule → rows
  uint64_t changes_read = 0;
  uint64_t raw_files_read = 0;
  bool encrypted = false;
  std::string created_at;  // ISO 8601, UTC
  QualityScore quality;

  nlohmann::json ToJson() const;
  static CuratedRunRecord FromJson(const nlohmann::json& json);

  // run_dir/_run.json; nullopt when the run has none. Throws core::Error for
  // a damaged one.
  static std::optional<CuratedRunRecord> Read(const std::filesystem::path& run_dir);
  // Writes run_dir/_run.json atomically (temp + fsync + rename).
  void Write(const std::filesystem::path& run_dir) const;
};

}  // namespace futureim::pipeline
