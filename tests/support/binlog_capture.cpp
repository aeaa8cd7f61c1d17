#include "support/binlog_capture.h"

#include <chrono>
#include <stdexcept>

#include "source/binlog_stream.h"
#include "source/mysql_connection.h"

namespace futureim::testing {

source::BinlogPosition EndOfBinlog(const PrivateMariadb& server) {
  auto repl = source::MysqlConnection::Connect(server.ReplicationUser());
  const auto rows = repl.Query("SHOW MASTER STATUS");
  if (rows.size() != 1) throw std::runtime_error("SHOW MASTER STATUS returned no row");
  return source::BinlogPosition{rows.at(0).at(0).value(), std::stoull(rows.at(0).at(1).value())};
}

std::vector<source::BinlogEvent> ReadBinlogEvents(const PrivateMariadb& server,
                                                  const source::BinlogPosition& start,
                                                  const source::BinlogPosition& end) {
  source::BinlogStreamOptions options;
  options.server_id = 1001;
  options.position = start;
  options.heartbeat_period = std::chrono::milliseconds(200);
  options.read_timeout = std::chrono::seconds(10);
  auto stream = source::BinlogStream::Open(server.ReplicationUser(), options);
  std::vector<source::BinlogEvent> events;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!(stream.position() == end)) {
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("binlog did not reach " + end.file + ":" +
                               std::to_string(end.offset) + " (at " + stream.position().file + ":" +
                               std::to_string(stream.position().offset) + ")");
    }
    const source::BinlogEvent& event = stream.Next();
    if (event.type != source::BinlogEventType::kHeartbeat) events.push_back(event);
  }
  return events;
}

std::vector<source::TableMap> TableMapsIn(const std::vector<source::BinlogEvent>& events) {
  std::vector<source::TableMap> maps;
  for (const auto& event : events) {
    if (event.type == source::BinlogEventType::kTableMap) {
      maps.push_back(source::ParseTableMap(event.body, source::BinlogFlavor::kMariadb));
    }
  }
  return maps;
}

std::vector<source::RowsEvent> RowsEventsOf(const std::vector<source::BinlogEvent>& events,
                                            const std::string& table) {
  source::TableMapCache maps;
  std::vector<source::RowsEvent> out;
  for (const auto& event : events) {
    if (event.type == source::BinlogEventType::kTableMap) {
      maps.Add(source::ParseTableMap(event.body, source::BinlogFlavor::kMariadb));
    } else if (source::IsRowsEvent(event.type)) {
      source::RowsEvent rows = source::BinlogRowDecoder::Decode(event, maps);
      if (rows.table->table == table) out.push_back(std::move(rows));
    }
  }
  return out;
}

}  // namespace futureim::testing
