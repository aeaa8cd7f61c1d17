#pragma once

// The lake on S3-compatible storage (lake.backend = s3). The local folder
// (lake.path) stays the working copy that replication, curation, the systems
// and queries read and write — DuckDB reads local files, and nothing may be
// downloaded at run time to read s3:// paths — and PushLakeToStore keeps the
// store a consistent copy that external engines (Athena, Trino, Spark; the
// DDL of `futureim catalog ddl --location s3://...`) read.
//
// Invariant: at every moment of a push, every object the store's pointers
// name exists on the store. A push therefore goes in three phases:
//   1. data objects: every committed raw file, every file of each curated and
//      prod table's current run (its _run.json and quarantine included).
//      These objects are immutable once written (named by commit or run id),
//      so one already on the store with the same size is not sent again;
//   2. pointers, after all data: each table's `_current`, the raw manifest,
//      the catalog;
//   3. deletions of run folders that exist on the store but no longer
//      locally (pruned runs), which no pointer names any more.
// A push killed at any point leaves the store consistent (old pointers, or
// new pointers with all their objects); the next push completes it.

#include <cstdint>
#include <filesystem>

#include "lake/object_store.h"

namespace futureim::lake {

struct LakePushReport {
  uint64_t uploaded_objects = 0;
  uint64_t uploaded_bytes = 0;
  uint64_t unchanged_objects = 0;  // already on the store
  uint64_t pointers = 0;           // pointer objects written
  uint64_t deleted_objects = 0;    // of pruned runs
};

LakePushReport PushLakeToStore(const std::filesystem::path& lake_root, ObjectStore& store);

}  // namespace futureim::lake
