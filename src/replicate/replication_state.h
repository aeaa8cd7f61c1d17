#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "lake/raw_current_state.h"
#include "replicate/raw_table_schema.h"
#include "source/binlog_event.h"

namespace futureim::replicate {

// The life of one replicated table.
enum class TableState {
  kPending,    // selected, not loaded yet (or to be reloaded after DDL)
  kLoading,    // full load in progress; `load` says how far
  kStreaming,  // loaded; changes come from the binlog
  kDropped,    // dropped or renamed away on the source
};
std::string TableStateName(TableState state);

struct TableLoadProgress {
  // Changes of this table at binlog positions before `capture_from` are
  // already in the loaded rows and must be skipped; from it on they are
  // applied. When a load resumes in a later snapshot, this stays the
  // earliest snapshot's position: replaying the changes between two
  // snapshots is harmless (full row images; later changes win by _seq),
  // skipping them would lose data.
  std::optional<source::BinlogPosition> capture_from;
  // The key of the last loaded row (hex-encoded parts); empty: from the start.
  std::vector<std::string> after_key;
  uint64_t chunks = 0;
  bool done = false;
};

struct TableCounters {
  uint64_t rows_loaded = 0;
  uint64_t inserts = 0;
  uint64_t updates = 0;
  uint64_t deletes = 0;
  uint64_t truncates = 0;
  uint64_t files = 0;
  uint64_t loads = 0;             // full loads started (1 + reloads after DDL)
  int64_t last_change_ts_us = 0;  // source commit time of the last change applied
  int64_t last_commit_at_us = 0;  // wall clock of the last commit that touched the table

  uint64_t changes() const { return inserts + updates + deletes + truncates; }
};

// A source foreign key with its ON DELETE action (lake/raw_current_state.h
// applies it: InnoDB's cascades never reach the binlog).
using ForeignKeyRule = lake::ForeignKeyRule;

struct TableProgress {
  std::string schema;
  std::string table;
  TableState state = TableState::kPending;
  TableLoadProgress load;
  TableCounters counters;
  // The lake columns and key of the files written last (empty before the
  // first file): what readers project the table to.
  std::vector<RawColumn> columns;
  std::vector<std::string> primary_key;
  // The table's foreign keys as of its last (re)load; empty in manifests
  // written before they were recorded.
  std::vector<ForeignKeyRule> foreign_keys;

  std::string QualifiedName() const { return schema + "." + table; }
};

// Everything a restart needs, committed atomically with the files it covers
// (ReplicationCheckpoint). `position` is the binlog position after the last
// transaction whose changes are all in committed files; nothing after it is.
struct ReplicationState {
  uint64_t commit = 0;
  int64_t committed_at_us = 0;
  // The next _seq to hand out: larger than every committed _seq.
  uint64_t next_seq = 1;
  // Where CDC resumes; unset until the first full load has a snapshot.
  std::optional<source::BinlogPosition> position;
  std::string last_gtid;                        // MariaDB GTID of the last committed transaction
  std::map<std::string, TableProgress> tables;  // by "schema.table"
  uint64_t zero_dates = 0;
  uint64_t unsupported_values = 0;

  nlohmann::json ToJson() const;
  static ReplicationState FromJson(const nlohmann::json& json);
};

// Reads a manifest written by ReplicationCheckpoint; nullopt when the file
// does not exist. Throws core::Error, naming the fix, for a damaged one.
std::optional<ReplicationState> ReadReplicationState(const std::filesystem::path& manifest);

// Orders binlog positions: by the file's numeric suffix, then the offset.
bool BinlogPositionLess(const source::BinlogPosition& a, const source::BinlogPosition& b);
std::string FormatBinlogPosition(const source::BinlogPosition& position);

// Hex encoding for key values kept in JSON (they may be binary).
std::string HexEncode(const std::string& bytes);
std::string HexDecode(const std::string& hex);

}  // namespace futureim::replicate
