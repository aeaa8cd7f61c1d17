#include "source/binlog_stream.h"

#include <array>
#include <string_view>
#include <utility>

#include <errmsg.h>
#include <mariadb_rpl.h>
#include <mysqld_error.h>

#include "source/binlog_byte_reader.h"

namespace futureim::source {
namespace {

constexpr size_t kChecksumSize = 4;

std::array<uint32_t, 256> MakeCrc32Table() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  return table;
}

std::string DescribePosition(const BinlogStreamOptions& options) {
  if (!options.gtid_state.empty()) return "GTID state " + options.gtid_state;
  return options.position.file + ":" + std::to_string(options.position.offset);
}

}  // namespace

uint32_t BinlogCrc32(const uint8_t* data, size_t size) {
  static const std::array<uint32_t, 256> kTable = MakeCrc32Table();
  uint32_t crc = 0xFFFFFFFFu;
  for (size_t i = 0; i < size; ++i) crc = kTable[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFu;
}

BinlogStream BinlogStream::Open(const SourceEndpoint& endpoint,
                                const BinlogStreamOptions& options) {
  if (options.server_id == 0) {
    throw core::Error("binlog stream needs a non-zero replica server id");
  }
  if (options.gtid_state.empty() && options.position.file.empty()) {
    throw core::Error("binlog stream needs a start position (file and offset) or a GTID state");
  }
  ConnectOptions connect;
  connect.connect_timeout = options.connect_timeout;
  connect.io_timeout = options.read_timeout;
  BinlogStream stream(MysqlConnection::Connect(endpoint, connect), options);
  stream.Start(options);
  return stream;
}

BinlogStream::BinlogStream(MysqlConnection connection, const BinlogStreamOptions& options)
    : connection_(std::make_unique<MysqlConnection>(std::move(connection))),
      position_(options.position),
      verify_checksums_(options.verify_checksums) {}

void BinlogStream::Start(const BinlogStreamOptions& options) {
  MysqlConnection& conn = *connection_;
  flavor_ = conn.ServerFlavor();
  // The server only streams checksummed events to a replica that says it
  // understands them (else error 1236); tell it we expect exactly what it
  // writes, so events arrive as they are in the file.
  checksum_algorithm_ = conn.QueryScalar("SELECT @@GLOBAL.binlog_checksum").value_or("NONE");
  has_checksum_ = checksum_algorithm_ != "NONE";
  conn.Execute("SET @master_binlog_checksum = '" + conn.Escape(checksum_algorithm_) + "'");
  // Capability 4 (MARIA_SLAVE_CAPABILITY_GTID): the server sends GTID events
  // instead of the BEGIN queries of old replicas.
  conn.Execute("SET @mariadb_slave_capability = 4");
  const auto heartbeat_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(options.heartbeat_period).count();
  if (heartbeat_ns > 0) {
    conn.Execute("SET @master_heartbeat_period = " + std::to_string(heartbeat_ns));
  }
  std::string file = options.position.file;
  unsigned long start = static_cast<unsigned long>(options.position.offset);
  if (!options.gtid_state.empty()) {
    conn.Execute("SET @slave_connect_state = '" + conn.Escape(options.gtid_state) + "'");
    conn.Execute("SET @slave_gtid_strict_mode = 0");
    conn.Execute("SET @slave_gtid_ignore_duplicates = 0");
    // With a connect state the server picks the file itself.
    file.clear();
    start = 4;
    position_ = BinlogPosition{};
  }

  rpl_ = mariadb_rpl_init_ex(conn.handle(), MARIADB_RPL_VERSION);
  if (rpl_ == nullptr) throw SourceError("cannot start a binlog stream (out of memory)", 0);
  mariadb_rpl_optionsv(rpl_, MARIADB_RPL_FILENAME, file.c_str(), file.size());
  mariadb_rpl_optionsv(rpl_, MARIADB_RPL_START, start);
  mariadb_rpl_optionsv(rpl_, MARIADB_RPL_SERVER_ID, static_cast<unsigned int>(options.server_id));
  mariadb_rpl_optionsv(rpl_, MARIADB_RPL_FLAGS, 0u);  // blocking dump, no ANNOTATE_ROWS
  if (mariadb_rpl_open(rpl_) != 0) {
    const unsigned int code = mysql_errno(conn.handle());
    const std::string message = code != 0 ? mysql_error(conn.handle()) : mariadb_rpl_error(rpl_);
    throw SourceError("cannot start the binlog stream at " + DescribePosition(options) + " on " +
                          conn.endpoint().Describe() + ": " + message,
                      static_cast<int>(code));
  }
}

BinlogStream::BinlogStream(BinlogStream&& other) noexcept
    : connection_(std::move(other.connection_)),
      rpl_(std::exchange(other.rpl_, nullptr)),
      rpl_event_(std::exchange(other.rpl_event_, nullptr)),
      position_(std::move(other.position_)),
      checksum_algorithm_(std::move(other.checksum_algorithm_)),
      flavor_(other.flavor_),
      has_checksum_(other.has_checksum_),
      verify_checksums_(other.verify_checksums_),
      event_(std::move(other.event_)) {}

BinlogStream& BinlogStream::operator=(BinlogStream&& other) noexcept {
  if (this != &other) {
    Close();
    connection_ = std::move(other.connection_);
    rpl_ = std::exchange(other.rpl_, nullptr);
    rpl_event_ = std::exchange(other.rpl_event_, nullptr);
    position_ = std::move(other.position_);
    checksum_algorithm_ = std::move(other.checksum_algorithm_);
    flavor_ = other.flavor_;
    has_checksum_ = other.has_checksum_;
    verify_checksums_ = other.verify_checksums_;
    event_ = std::move(other.event_);
  }
  return *this;
}

BinlogStream::~BinlogStream() { Close(); }

void BinlogStream::Close() {
  if (rpl_event_ != nullptr) mariadb_free_rpl_event(std::exchange(rpl_event_, nullptr));
  // mariadb_rpl_close frees only the replication handle; the connection is
  // closed by MysqlConnection's destructor afterwards.
  if (rpl_ != nullptr) mariadb_rpl_close(std::exchange(rpl_, nullptr));
  connection_.reset();
}

void BinlogStream::ThrowFetchError() {
  MYSQL* mysql = connection_->handle();
  unsigned int code = mysql_errno(mysql);
  std::string message = code != 0 ? mysql_error(mysql) : "";
  if (code == 0 && rpl_ != nullptr && mariadb_rpl_errno(rpl_) != 0) {
    code = mariadb_rpl_errno(rpl_);
    message = mariadb_rpl_error(rpl_);
  }
  const std::string where = " at binlog position " + position_.file + ":" +
                            std::to_string(position_.offset) + " on " +
                            connection_->endpoint().Describe();
  if (code == ER_MASTER_FATAL_ERROR_READING_BINLOG) {
    // 1236 is how the server refuses a start point it no longer has (purged
    // file, unknown GTID); it only says so when the first event is read.
    throw BinlogPositionPurgedError(
        "the binlog position to resume from is gone from the source" + where +
            " (server says: " + message +
            "). The binlog was purged or rotated away before replication caught up: "
            "a new full load (re-snapshot) of the tables is needed to resume",
        static_cast<int>(code));
  }
  if (code == 0 || code == CR_SERVER_LOST || code == CR_SERVER_GONE_ERROR ||
      code == CR_SERVER_LOST_EXTENDED || code == CR_CONNECTION_ERROR ||
      code == ER_CONNECTION_KILLED || code == ER_SERVER_SHUTDOWN) {
    throw BinlogConnectionLostError(
        "lost the binlog stream connection" + where + ": " +
            (code == 0 ? std::string("the server ended the stream") : message) +
            " (reconnect and resume from the last committed position)",
        static_cast<int>(code));
  }
  throw SourceError("reading the binlog failed" + where + ": " + message, static_cast<int>(code));
}

const BinlogEvent& BinlogStream::Next() {
  if (rpl_ == nullptr) throw std::logic_error("BinlogStream::Next on a closed stream");
  // Each event is fetched into a fresh library event: with a reused one,
  // Connector/C 3.3 leaves it invalid after a failed read (freeing it then
  // crashed in mariadb_free_rpl_event after a lost connection). event_
  // already holds our copy of the previous event.
  if (rpl_event_ != nullptr) mariadb_free_rpl_event(std::exchange(rpl_event_, nullptr));
  MARIADB_RPL_EVENT* fetched = mariadb_rpl_fetch(rpl_, nullptr);
  if (fetched == nullptr) ThrowFetchError();
  rpl_event_ = fetched;

  // raw_data holds the event as sent, possibly still preceded by the
  // packet's OK byte; find the header by its own length field.
  const uint8_t* raw = fetched->raw_data;
  size_t size = fetched->raw_data_size;
  auto event_length_at = [&](size_t offset) -> size_t {
    if (size < offset + kBinlogHeaderSize) return 0;
    BinlogByteReader r({raw + offset + 9, 4});
    return r.U32();
  };
  if (event_length_at(0) != size && size > 0 && raw[0] == 0 && event_length_at(1) == size - 1) {
    ++raw;
    --size;
  }
  if (size < kBinlogHeaderSize) throw BinlogFormatError("binlog event shorter than its header");

  BinlogByteReader header({raw, kBinlogHeaderSize});
  event_.timestamp = header.U32();
  event_.type = static_cast<BinlogEventType>(header.U8());
  event_.server_id = header.U32();
  const uint32_t length = header.U32();
  event_.log_position = header.U32();
  event_.flags = header.U16();
  if (length != size) {
    throw BinlogFormatError("binlog event length " + std::to_string(length) +
                            " does not match the " + std::to_string(size) + " bytes received");
  }
  size_t body_size = size - kBinlogHeaderSize;
  if (has_checksum_) {
    if (body_size < kChecksumSize)
      throw BinlogFormatError("binlog event too short for its checksum");
    body_size -= kChecksumSize;
    if (verify_checksums_) {
      BinlogByteReader crc_reader({raw + size - kChecksumSize, kChecksumSize});
      const uint32_t expected = crc_reader.U32();
      if (BinlogCrc32(raw, size - kChecksumSize) != expected) {
        throw BinlogFormatError("binlog event checksum mismatch at " + position_.file + ":" +
                                std::to_string(position_.offset) +
                                " (corrupted in transit or on the source)");
      }
    }
  }
  event_.body.assign(raw + kBinlogHeaderSize, raw + kBinlogHeaderSize + body_size);

  if (event_.type == BinlogEventType::kRotate) {
    // ROTATE: 8-byte position of the first event in the next file, then the
    // file name (rest of the body). Also the server's first, artificial
    // event, telling where the stream really starts.
    BinlogByteReader body(event_.body);
    const uint64_t offset = body.U64();
    position_ = BinlogPosition{std::string(body.Text(body.remaining())), offset};
  } else if (event_.log_position != 0 && event_.type != BinlogEventType::kHeartbeat) {
    position_.offset = event_.log_position;
  }
  return event_;
}

}  // namespace futureim::source
