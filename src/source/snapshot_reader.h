#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "source/binlog_column_value.h"
#include "source/binlog_event.h"
#include "source/binlog_table_map.h"
#include "source/mysql_connection.h"
#include "source/source_endpoint.h"

namespace futureim::source {

// One consistent snapshot of the source, read through prepared statements
// (the binary protocol: no text round trip for numbers and dates), chunk by
// chunk in primary-key order, streaming (rows are handed over one at a time
// as they arrive, never collected: memory does not grow with the table), for
// the full load and for `verify`.
//
// MariaDB gives the snapshot's binlog position without locks: START
// TRANSACTION WITH CONSISTENT SNAPSHOT, then the binlog_snapshot_file /
// binlog_snapshot_position status variables. Every change committed after
// that position is absent from the snapshot and present in the binlog after
// it, so CDC for the tables read here must start exactly there. MySQL 8 has
// no such variables (its equivalent, performance_schema.log_status under
// LOCK INSTANCE FOR BACKUP, needs BACKUP_ADMIN and a brief lock): Begin()
// refuses it with a SourceError that says so.
//
// A table's shared metadata lock is held from its first chunk until End(),
// so a DROP/ALTER of a table already read waits for the snapshot; a table
// dropped before its first chunk fails that chunk with a SourceError.
class SnapshotReader {
 public:
  // Opens its own connection (session time_zone '+00:00' so TIMESTAMPs come
  // in UTC; utf8mb4) and starts the snapshot. Throws SourceError.
  static SnapshotReader Begin(const SourceEndpoint& endpoint);

  SnapshotReader(SnapshotReader&&) noexcept;
  SnapshotReader& operator=(SnapshotReader&&) noexcept;
  ~SnapshotReader();

  // Where CDC must start for what this snapshot shows.
  const BinlogPosition& position() const { return position_; }
  // The source's clock when the snapshot began, microseconds since the
  // epoch (UTC): the `_commit_ts` of rows loaded from it.
  int64_t started_at_us() const { return started_at_us_; }

  // A primary key value as text, one entry per key column: the key of the
  // last row of a chunk, from which the next chunk continues. Integers,
  // YEAR, BIT in decimal; ENUM as its index and SET as its bit mask (the
  // order the server sorts them in); FLOAT/DOUBLE as round-trip text;
  // DECIMAL and temporal values in the server's text form (TIMESTAMP in
  // UTC, 6 fraction digits); strings as UTF-8, binary strings as raw bytes.
  using Key = std::vector<std::string>;

  // Reads up to `limit` rows of `table` whose primary key is greater than
  // `after` (all rows from the start when `after` is empty), in key order,
  // calling `on_row` for each with one ColumnValue per column of `table`
  // (the same alternatives BinlogRowDecoder produces for that column, so the
  // full load and CDC convert values identically), except that character
  // data arrives as UTF-8: text of utf8mb4/utf8mb3/ascii columns as stored,
  // with the column's own collation id (so equal to the binlog's, e.g. 46
  // for MariaDB's JSON), text of any other charset converted by the server,
  // with the collation id the server reports for it (utf8mb4's: 45); binary
  // data as is. The RowImage is reused between calls of `on_row`. Returns the number of rows read
  // and sets `last_key` to the key of the last row. A table without a primary key
  // (table.primary_key empty) is read whole in one call, `limit` and `after` ignored.
  //
  // `table` must be a description of the current table (SourceSchemaReader).
  // `on_row` must not use this reader (the rows are still arriving). Throws
  // SourceError naming the table.
  uint64_t ReadChunk(const TableMap& table, const Key& after, uint64_t limit,
                     const std::function<void(const RowImage&)>& on_row, Key& last_key);

  // Ends the snapshot (commits the read-only transaction).
  void End();

 private:
  SnapshotReader(MysqlConnection connection, BinlogPosition position, int64_t started_at_us);

  std::unique_ptr<MysqlConnection> connection_;
  BinlogPosition position_;
  int64_t started_at_us_ = 0;
  struct Statements;  // prepared statements per table and chunk shape, reused
  std::unique_ptr<Statements> statements_;
};

}  // namespace futureim::source
