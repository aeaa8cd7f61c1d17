#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "engine/duckdb.h"

namespace futureim::query {

// One view over lake files in a query database.
struct LakeView {
  std::string schema;  // raw, raw_current, curated, or an analytics system
  std::string name;
  // The Parquet files it reads (raw_current reads those of its raw view).
  std::vector<std::filesystem::path> files;
};

// What CreateLakeViews made: the views, every file they read (the lock-down's
// allow-list), and the tables it skipped with the reason, for the operator.
struct LakeViewCatalog {
  std::vector<LakeView> views;
  std::vector<std::filesystem::path> files;
  std::vector<std::string> skipped;
};

// Creates schemas and views over the lake at `lake_root` in the (in-memory)
// database of `connection`:
//
//   raw.<table>          every committed change of a raw table
//                        (lake::RawTierLayout::CommittedFiles up to the
//                        manifest's commit: uncommitted and in-progress
//                        files are never read), read_parquet(union_by_name,
//                        hive_partitioning): the source columns plus _op,
//                        _commit_ts, _seq and the partition column commit_date
//   raw_current.<table>  the current state of a raw table: per primary key
//                        (from the replication manifest) the row with the
//                        highest _seq, deleted keys left out; a row with
//                        _op = 'T' (truncate/reload marker) discards every
//                        change of the table with a smaller _seq; the ON
//                        DELETE CASCADE / SET NULL actions of the foreign
//                        keys the manifest records are applied
//                        (lake::RawCurrentState, the same SQL as verify)
//   curated.<table>      the current run of curated/<table>/ (lake/tier_layout.h)
//   <system>.<table>     the current run of prod/<system>/<table>/
//
// Views are plain lists of files, fixed when created: a process that needs
// newer data builds a new query database (QueryRunner::Refresh).
//
// A table with no committed files (or no published run) gets no view: there
// is no schema to show yet. Raw views are named by table; when two source
// schemas share a table name, both views are named <schema>__<table>. A raw
// table gets no raw_current view when the manifest is missing, does not list
// it, or lists no primary key. A table whose files DuckDB cannot read is
// skipped with the reason rather than failing the whole catalog.
//
// Curated and prod runs may be encrypted (Parquet modular encryption, the
// lake key): `parquet_key_name` names the key registered in the database
// (lake::RegisterParquetKey) to read them with; without one, encrypted runs
// are skipped with the reason, as are runs the key cannot decrypt. A run's
// rows that failed validation (its `_quarantine/` folder) get the view
// <schema>.<table>_quarantine.
LakeViewCatalog CreateLakeViews(engine::Connection& connection,
                                const std::filesystem::path& lake_root,
                                const std::string& parquet_key_name = "");

}  // namespace futureim::query
