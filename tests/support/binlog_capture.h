#pragma once

#include <string>
#include <vector>

#include "source/binlog_event.h"
#include "source/binlog_row_decoder.h"
#include "source/binlog_table_map.h"
#include "support/private_mariadb.h"

namespace futureim::testing {

// Reading back what a test wrote, through the real binlog stream: take
// EndOfBinlog() before and after the statements, then ReadBinlogEvents().

// The source's current end of binlog, as the replication user sees it.
source::BinlogPosition EndOfBinlog(const PrivateMariadb& server);

// Every event from `start` up to `end` (heartbeats left out), read as the
// replication user. Throws std::runtime_error when `end` is not reached
// within 30 s.
std::vector<source::BinlogEvent> ReadBinlogEvents(const PrivateMariadb& server,
                                                  const source::BinlogPosition& start,
                                                  const source::BinlogPosition& end);

// The TABLE_MAP events among `events`, parsed (MariaDB flavour), in order.
std::vector<source::TableMap> TableMapsIn(const std::vector<source::BinlogEvent>& events);

// The row events of `table` among `events`, decoded.
std::vector<source::RowsEvent> RowsEventsOf(const std::vector<source::BinlogEvent>& events,
                                            const std::string& table);

}  // namespace futureim::testing
