#pragma once

#include <filesystem>

#include <nlohmann/json.hpp>

namespace futureim::pipeline {

// The health of the curated data as the dashboard's home page shows it
// (SPEC.md §6): per curated table its current run, when it was curated, the
// raw commit it has merged, rows published and quarantined, and the quality
// score; plus the lowest score and the newest run over all tables. Read from
// the current runs' `_run.json` records only (no Parquet is opened), so it
// is cheap enough to recompute after every pipeline run:
//
//   {"tables": [{"table", "run_id", "curated_at", "raw_commit", "rows",
//                "quarantined", "quality"}...],
//    "table_count", "lowest_quality", "last_curated_at"}
//
// A table without a published run is left out; a damaged record throws
// core::Error.
nlohmann::json CuratedTierHealth(const std::filesystem::path& lake_root);

}  // namespace futureim::pipeline
