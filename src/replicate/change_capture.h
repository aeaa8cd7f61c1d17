#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "replicate/raw_change_writer.h"
#include "replicate/replication_context.h"
#include "source/binlog_stream.h"
#include "source/binlog_table_map.h"
#include "source/mysql_connection.h"
#include "source/source_schema_reader.h"

namespace futureim::replicate {

// Change data capture: reads the source's binlog as a replica from the
// committed position and writes every row change of the streaming tables to
// the raw tier (`_op` I, U, D; T for TRUNCATE/DROP), committing whole source
// transactions only.
//
// Transactions whole: rows go to the writer as they arrive (a transaction
// of any size streams through, spilling to staged files), but a commit only
// ever happens between transactions, and its position is the end of the
// last transaction in it. A crash mid-transaction therefore loses only
// uncommitted staged files, and the restart reads the transaction again.
//
// DDL: CREATE/RENAME make a table pending (it is loaded from a fresh
// snapshot before capture resumes); DROP and TRUNCATE write a truncate
// marker; an ALTER that changed the table's columns (or a row event whose
// columns differ from the lake's) reloads the table, because the binlog
// holds no row changes for the values an ALTER gives existing rows (e.g. a
// new column's default).
class ChangeCapture {
 public:
  enum class Outcome {
    kStopped,       // the stop flag was set; everything read is committed
    kCaughtUp,      // options.stop_when_caught_up and the source had no more
    kReloadNeeded,  // DDL made tables pending: run the full loader, then capture again
  };

  explicit ChangeCapture(ReplicationContext& context);
  ~ChangeCapture();

  // Streams until one of the outcomes. Throws BinlogPositionPurgedError,
  // BinlogConnectionLostError and other SourceErrors; what was not committed
  // is then discarded (the next run reads it again).
  Outcome Run();

 private:
  struct PendingTable;

  void OnTableMap(const source::BinlogEvent& event);
  void OnRows(const source::BinlogEvent& event);
  void OnDdl(const std::string& statement, const std::string& default_schema);
  // The transaction ended at `end` (the position after its last event).
  void EndGroup(const source::BinlogPosition& end);
  bool CommitDue() const;
  void Commit();

  bool Tracks(const std::string& name) const;
  bool Applies(const TableProgress& table) const;
  const RawTableSchema& SchemaFor(const std::shared_ptr<const source::TableMap>& map);
  source::SourceSchemaReader& SchemaReader();
  void WriteTruncateMarker(const std::string& name);
  void MarkForLoad(const std::string& schema, const std::string& table);

  ReplicationContext& context_;
  source::BinlogFlavor flavor_ = source::BinlogFlavor::kMariadb;
  // The committed state's tables, with this run's DDL effects applied.
  std::map<std::string, TableProgress> tables_;
  std::set<std::string> changed_tables_;  // tables_ entries to write at the next commit
  RawChangeWriter writer_;
  SeqAllocator seqs_;
  source::TableMapCache table_maps_;
  std::map<const source::TableMap*, RawTableSchema> schemas_;
  std::unique_ptr<source::MysqlConnection> schema_connection_;
  std::unique_ptr<source::SourceSchemaReader> schema_reader_;
  std::set<std::string> fallback_warned_;

  // The transaction (event group) being read.
  bool in_group_ = false;
  bool group_standalone_ = false;
  source::BinlogPosition group_start_;
  source::BinlogPosition event_start_;
  int64_t group_ts_us_ = 0;
  std::string group_gtid_;

  // Read, not yet committed.
  std::map<std::string, TableCounters> pending_counts_;
  std::map<std::string, RawTableSchema> pending_schemas_;
  std::map<std::string, std::vector<ForeignKeyRule>> pending_foreign_keys_;
  std::optional<source::BinlogPosition> pending_position_;
  std::string pending_gtid_;
  int64_t oldest_pending_ts_us_ = 0;
  uint64_t pending_rows_ = 0;
  bool reload_needed_ = false;
  std::set<std::string> reload_after_group_;
  std::chrono::steady_clock::time_point last_commit_;
};

}  // namespace futureim::replicate
