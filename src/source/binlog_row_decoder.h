#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "source/binlog_byte_reader.h"
#include "source/binlog_column_value.h"
#include "source/binlog_event.h"
#include "source/binlog_table_map.h"

namespace futureim::source {

enum class RowChangeKind { kInsert, kUpdate, kDelete };

// One row changed by a row event. kInsert has only `after`, kDelete only
// `before`, kUpdate both. Images have one entry per table column;
// columns the event left out are column_value::Absent.
struct RowChange {
  RowImage before;
  RowImage after;
};

// A decoded WRITE/UPDATE/DELETE_ROWS event.
struct RowsEvent {
  RowChangeKind kind = RowChangeKind::kInsert;
  std::shared_ptr<const TableMap> table;
  uint16_t flags = 0;
  std::vector<RowChange> rows;

  // The last row event of its statement: the server's table ids of this
  // statement need not be kept after it.
  bool statement_end() const { return (flags & 0x0001) != 0; }
};

// Decodes row events (v1 types 23-25 from MariaDB, v2 types 30-32 from
// MySQL 8) with the TABLE_MAP that precedes them. Written from the binlog
// format itself rather than with Connector/C's mariadb_rpl_extract_rows,
// which mis-decodes several types in 3.3. Stateless; thread-compatible.
class BinlogRowDecoder {
 public:
  // Throws BinlogFormatError when the event is malformed, its table id has
  // no TABLE_MAP in `tables`, or a column's type is not supported (pre-5.0
  // DECIMAL, compressed row events).
  static RowsEvent Decode(const BinlogEvent& event, const TableMapCache& tables);

  // Decodes one non-NULL value of `column` at the reader's position and
  // advances past it.
  static ColumnValue DecodeValue(BinlogByteReader& reader, const BinlogColumn& column);
};

}  // namespace futureim::source
