#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "source/binlog_event.h"
#include "source/mysql_connection.h"
#include "source/source_endpoint.h"

struct st_mariadb_rpl;
struct st_mariadb_rpl_event;

namespace futureim::source {

// The position to stream from is gone from the server (its binlog file was
// purged, or never existed). Resuming is impossible: the tables must be
// loaded again from a fresh snapshot.
class BinlogPositionPurgedError : public SourceError {
 public:
  using SourceError::SourceError;
};

// The connection to the source broke (server restart, network failure, or no
// event and no heartbeat within the read timeout). Retryable: reopen the
// stream at the last committed position, with backoff.
class BinlogConnectionLostError : public SourceError {
 public:
  using SourceError::SourceError;
};

struct BinlogStreamOptions {
  // This replica's server id: must differ from the source's and from every
  // other replica of it, or the server disconnects the older one.
  uint32_t server_id = 0;
  // Where to start: a file position, or (when gtid_state is not empty) a
  // MariaDB GTID state such as "0-1-42,1-2-7", which wins over `position`.
  BinlogPosition position;
  std::string gtid_state;
  // When the source has nothing to send it sends a HEARTBEAT this often, so
  // Next() returns at least this often and a caller can check a stop flag.
  std::chrono::milliseconds heartbeat_period{1000};
  // No data at all for this long means the connection is gone. Must be
  // comfortably longer than heartbeat_period.
  std::chrono::seconds read_timeout{30};
  std::chrono::seconds connect_timeout{10};
  // Verify each event's CRC32 (cheap: table-driven, ~1 GB/s).
  bool verify_checksums = true;
};

// The source's binlog, read as a replica (COM_BINLOG_DUMP through Connector/C's
// MARIADB_RPL). Owns its own connection; move-only; not thread-safe.
//
// Position tracking is done here, not by the library (Connector/C 3.3
// mis-parses ROTATE after a FORMAT_DESCRIPTION): after each event the position
// is that event's end, and a ROTATE switches to its file and offset. Only the
// raw event is produced; decoding is the business of binlog_table_map.h,
// binlog_row_decoder.h and binlog_control_events.h.
class BinlogStream {
 public:
  // Connects and starts the dump. Throws SourceError for connection or
  // permission problems. A purged start position is reported by the server
  // only at the first Next(), as BinlogPositionPurgedError.
  static BinlogStream Open(const SourceEndpoint& endpoint, const BinlogStreamOptions& options);

  BinlogStream(BinlogStream&& other) noexcept;
  BinlogStream& operator=(BinlogStream&& other) noexcept;
  BinlogStream(const BinlogStream&) = delete;
  BinlogStream& operator=(const BinlogStream&) = delete;
  ~BinlogStream();

  // Blocks until the next event (a HEARTBEAT when idle) and returns it; the
  // reference stays valid until the next call. Throws
  // BinlogPositionPurgedError, BinlogConnectionLostError, BinlogFormatError
  // (bad checksum, truncated event) or SourceError.
  const BinlogEvent& Next();

  // The position just after the last event returned (or the start position).
  const BinlogPosition& position() const { return position_; }

  // MariaDB or MySQL, from the server's version string.
  BinlogFlavor flavor() const { return flavor_; }

  // The checksum algorithm the source writes ("CRC32" or "NONE").
  const std::string& checksum_algorithm() const { return checksum_algorithm_; }

 private:
  BinlogStream(MysqlConnection connection, const BinlogStreamOptions& options);
  void Start(const BinlogStreamOptions& options);
  void Close();
  [[noreturn]] void ThrowFetchError();

  std::unique_ptr<MysqlConnection> connection_;
  st_mariadb_rpl* rpl_ = nullptr;
  st_mariadb_rpl_event* rpl_event_ = nullptr;
  BinlogPosition position_;
  std::string checksum_algorithm_;
  BinlogFlavor flavor_ = BinlogFlavor::kMariadb;
  bool has_checksum_ = false;
  bool verify_checksums_ = true;
  BinlogEvent event_;
};

// CRC-32 (IEEE 802.3, as zlib's crc32) of `data`: the binlog event checksum.
uint32_t BinlogCrc32(const uint8_t* data, size_t size);

}  // namespace futureim::source
