#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

#include "lake/raw_tier_layout.h"

namespace futureim::replicate {

// What `futureim status` (and later the API) shows of replication, from the
// two files the replicator keeps: the committed manifest (per table: state,
// rows loaded, changes applied, load progress, last change) and the live
// status.json of the running task (phase, source lag, target lag
// percentiles, throughput, last error). Reading either never disturbs the
// replicator: both are replaced atomically.
//
// {"ok", "configured" (a manifest exists), "running" (status.json written
//  by a live task in the last 10 s), "phase", "position", "commit",
//  "source_lag_seconds", "target_lag_ms" {p50, p95, p99}, "rows_per_second",
//  "error" (when the task reports one), "warnings" {zero_dates,
//  unsupported_values}, "tables": [{"table", "state", "rows_loaded",
//  "changes_applied", "inserts", "updates", "deletes", "truncates",
//  "load_chunks", "last_change_at_us", "last_commit_at_us",
//  "source_lag_seconds", "foreign_keys"}]}
//
// A table's source lag is the task's (one binlog stream feeds every table)
// while it streams, and null while it is pending or loading. "ok" is false
// when the task reports an error or the manifest is unreadable ("error").
nlohmann::json ReplicationStatusReport(const lake::RawTierLayout& layout, int64_t now_us);

}  // namespace futureim::replicate
