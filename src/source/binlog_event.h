#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace futureim::source {

// Binlog event type codes (MySQL's and MariaDB's sql/log_event.h; the values
// are part of the wire format and never change).
enum class BinlogEventType : uint8_t {
  kUnknown = 0,
  kQuery = 2,
  kStop = 3,
  kRotate = 4,
  kIntvar = 5,
  kRand = 13,
  kUserVar = 14,
  kFormatDescription = 15,
  kXid = 16,
  kTableMap = 19,
  kWriteRowsV1 = 23,
  kUpdateRowsV1 = 24,
  kDeleteRowsV1 = 25,
  kIncident = 26,
  kHeartbeat = 27,
  kIgnorable = 28,
  kRowsQuery = 29,
  kWriteRowsV2 = 30,
  kUpdateRowsV2 = 31,
  kDeleteRowsV2 = 32,
  kMysqlGtid = 33,
  kMysqlAnonymousGtid = 34,
  kMysqlPreviousGtids = 35,
  kAnnotateRows = 160,
  kBinlogCheckpoint = 161,
  kMariadbGtid = 162,
  kMariadbGtidList = 163,
  kStartEncryption = 164,
  kQueryCompressed = 165,
  kWriteRowsCompressedV1 = 166,
  kUpdateRowsCompressedV1 = 167,
  kDeleteRowsCompressedV1 = 168,
  kWriteRowsCompressed = 169,
  kUpdateRowsCompressed = 170,
  kDeleteRowsCompressed = 171,
};

// True for the row events this project decodes (v1 from MariaDB, v2 from MySQL 8).
inline bool IsRowsEvent(BinlogEventType type) {
  const auto code = static_cast<uint8_t>(type);
  return (code >= 23 && code <= 25) || (code >= 30 && code <= 32);
}

// Which server wrote the binlog. The formats differ in details: MariaDB
// counts YEAR as a numeric column in TABLE_MAP signedness, MySQL does not;
// MySQL logs JSON in a binary format, MariaDB as text.
enum class BinlogFlavor { kMariadb, kMysql };

// A place in the source's binlog: the file name and the byte offset of the
// next event to read. Resuming from a position taken after an event never
// replays that event.
struct BinlogPosition {
  std::string file;
  uint64_t offset = 4;  // 4: just after the binlog file's magic number

  bool operator==(const BinlogPosition&) const = default;
};

// The common header is 19 bytes in every binlog format since MySQL 5.0.
inline constexpr size_t kBinlogHeaderSize = 19;

// One raw event as read from the stream: the common header's fields and the
// body (post-header + payload) with the checksum already removed.
struct BinlogEvent {
  BinlogEventType type = BinlogEventType::kUnknown;
  uint32_t timestamp = 0;  // seconds since the epoch when the statement began
  uint32_t server_id = 0;
  // The offset just past this event in its binlog file; 0 for artificial
  // events the server makes up for the stream (the first ROTATE, and the
  // FORMAT_DESCRIPTION when starting mid-file), which have no place in a file.
  uint32_t log_position = 0;
  uint16_t flags = 0;
  std::vector<uint8_t> body;
};

}  // namespace futureim::source
