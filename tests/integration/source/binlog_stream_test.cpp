// The binlog stream and the row decoder against a real private MariaDB:
// every column type decoded value by value equal to what the server itself
// returns for the same row, transactions in order, a purged position and a
// lost connection reported as such.

#include "source/binlog_stream.h"

#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "source/binlog_control_events.h"
#include "source/binlog_row_decoder.h"
#include "source/binlog_table_map.h"
#include "source/mysql_connection.h"
#include "support/binlog_capture.h"
#include "support/every_type_table.h"
#include "support/mariadb_suite.h"
#include "support/private_mariadb.h"

namespace futureim {
namespace {

using source::BinlogEvent;
using source::BinlogEventType;
using source::BinlogPosition;
using source::BinlogStream;
using source::BinlogStreamOptions;
using source::ColumnValue;
using source::MysqlConnection;
using source::RowChangeKind;
using source::RowsEvent;
using testing::PrivateMariadb;

const std::vector<testing::TypedColumn>& Columns() { return testing::EveryTypeColumns(); }
namespace cv = source::column_value;

std::string Hex(const std::string& bytes) {
  static const char* kDigits = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

// Compares a decoded value with the server's answer for the same cell.
::testing::AssertionResult SameValue(const ColumnValue& decoded,
                                     const std::optional<std::string>& server, int fsp) {
  if (!server.has_value()) {
    if (std::holds_alternative<cv::Null>(decoded)) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << "server has NULL, decoded " << source::FormatColumnValue(decoded, fsp);
  }
  std::string actual;
  if (const auto* s = std::get_if<cv::String>(&decoded)) {
    actual = Hex(s->bytes);
  } else if (const auto* f = std::get_if<float>(&decoded)) {
    if (static_cast<float>(std::strtod(server->c_str(), nullptr)) == *f) {
      return ::testing::AssertionSuccess();
    }
    actual = source::FormatColumnValue(decoded);
  } else if (const auto* d = std::get_if<double>(&decoded)) {
    if (std::strtod(server->c_str(), nullptr) == *d) return ::testing::AssertionSuccess();
    actual = source::FormatColumnValue(decoded);
  } else {
    actual = source::FormatColumnValue(decoded, fsp);
  }
  if (actual == *server) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "server has '" << *server << "', decoded '" << actual << "'";
}

class BinlogStreamTest : public testing::PrivateMariadbSuite {
 protected:
  static MysqlConnection Store() {
    auto connection = MysqlConnection::Connect(Server().StoreUser());
    connection.Execute("SET time_zone = '+00:00'");
    return connection;
  }

  static BinlogPosition EndOfBinlog() { return testing::EndOfBinlog(Server()); }

  static BinlogStreamOptions Options(const BinlogPosition& start) {
    BinlogStreamOptions options;
    options.server_id = 1001;
    options.position = start;
    options.heartbeat_period = std::chrono::milliseconds(200);
    options.read_timeout = std::chrono::seconds(10);
    return options;
  }

  static std::vector<BinlogEvent> ReadEvents(const BinlogPosition& start,
                                             const BinlogPosition& end) {
    return testing::ReadBinlogEvents(Server(), start, end);
  }

  static std::vector<RowsEvent> DecodeRows(const std::vector<BinlogEvent>& events,
                                           const std::string& table) {
    return testing::RowsEventsOf(events, table);
  }
};

// The server's values of every row of all_types, by id, in Columns() order.
std::map<int, source::Row> ServerRows(MysqlConnection& store) {
  std::string sql = "SELECT ";
  for (size_t i = 0; i < Columns().size(); ++i) {
    const auto& column = Columns()[i];
    sql += (i ? ", " : "") + std::string(column.select ? column.select : column.name);
  }
  sql += " FROM all_types ORDER BY id";
  std::map<int, source::Row> rows;
  for (auto& row : store.Query(sql)) rows[std::stoi(row[0].value())] = row;
  return rows;
}

void ExpectImageEquals(const source::RowImage& image, const source::Row& server,
                       const source::TableMap& table, const std::string& what) {
  ASSERT_EQ(image.size(), server.size()) << what;
  for (size_t i = 0; i < image.size(); ++i) {
    EXPECT_TRUE(SameValue(image[i], server[i], table.columns[i].fsp))
        << what << ", column " << Columns()[i].name << " (" << Columns()[i].definition << ")";
  }
}

TEST_F(BinlogStreamTest, DecodesEveryColumnTypeExactlyAsTheServerHasIt) {
  auto store = Store();
  store.Execute(testing::CreateEveryTypeTable("all_types"));

  const BinlogPosition start = EndOfBinlog();
  for (const auto& insert : testing::InsertEveryTypeEdgeRows("all_types")) store.Execute(insert);
  const auto inserted = ServerRows(store);
  ASSERT_EQ(inserted.size(), 4u);

  store.Execute(
      "UPDATE all_types SET biu = 9223372036854775808, tm6 = '-00:00:00.000001', "
      "vc = '😀😀', e = NULL, s = 'red,green,blue', dec_wide = 0, b64 = b'1' WHERE id = 2");
  store.Execute("UPDATE all_types SET dt = '2000-01-01', c = NULL WHERE id = 4");
  const auto updated = ServerRows(store);
  store.Execute("DELETE FROM all_types WHERE id IN (1, 3)");
  const BinlogPosition end = EndOfBinlog();

  const auto rows_events = DecodeRows(ReadEvents(start, end), "all_types");
  std::vector<std::pair<RowChangeKind, source::RowChange>> changes;
  std::shared_ptr<const source::TableMap> table;
  for (const auto& event : rows_events) {
    table = event.table;
    for (const auto& change : event.rows) changes.emplace_back(event.kind, change);
  }
  ASSERT_NE(table, nullptr);
  ASSERT_TRUE(table->has_column_names);
  ASSERT_EQ(table->columns.size(), Columns().size());
  for (size_t i = 0; i < Columns().size(); ++i) {
    EXPECT_EQ(table->columns[i].name, Columns()[i].name);
  }
  EXPECT_EQ(table->primary_key, (std::vector<uint32_t>{0}));
  EXPECT_EQ(table->schema, "ecommerce");

  // 4 inserts, 2 updates, 2 deletes, in statement order.
  ASSERT_EQ(changes.size(), 8u);
  for (int id = 1; id <= 4; ++id) {
    const auto& [kind, change] = changes[static_cast<size_t>(id - 1)];
    EXPECT_EQ(kind, RowChangeKind::kInsert);
    ExpectImageEquals(change.after, inserted.at(id), *table, "insert of row " + std::to_string(id));
  }
  for (size_t k = 0; k < 2; ++k) {
    const int id = k == 0 ? 2 : 4;
    const auto& [kind, change] = changes[4 + k];
    EXPECT_EQ(kind, RowChangeKind::kUpdate);
    ExpectImageEquals(change.before, inserted.at(id), *table,
                      "update before image " + std::to_string(id));
    ExpectImageEquals(change.after, updated.at(id), *table,
                      "update after image " + std::to_string(id));
  }
  for (size_t k = 0; k < 2; ++k) {
    const int id = k == 0 ? 1 : 3;
    const auto& [kind, change] = changes[6 + k];
    EXPECT_EQ(kind, RowChangeKind::kDelete);
    ExpectImageEquals(change.before, inserted.at(id), *table, "deleted row " + std::to_string(id));
  }

  // Spot checks of the typed values themselves (not only their text).
  const auto& max_row = changes[1].second.after;
  EXPECT_EQ(std::get<uint64_t>(max_row[11]), 18446744073709551615ull);
  EXPECT_EQ(std::get<int64_t>(changes[0].second.after[5]), -8388608);
  EXPECT_EQ(std::get<cv::Bit>(max_row[19]), (cv::Bit{~0ull, 64}));
  EXPECT_EQ(std::get<cv::Time>(changes[0].second.after[22]).microseconds, -1500000);
  EXPECT_EQ(std::get<cv::Enum>(max_row[45]).name, "large");
  EXPECT_EQ(std::get<cv::Set>(max_row[46]).names, (std::vector<std::string>{"red", "blue"}));
  const auto& zero_row = changes[3].second.after;
  EXPECT_TRUE(std::get<cv::Date>(zero_row[20]).zero());
  EXPECT_TRUE(std::get<cv::DateTime>(zero_row[25]).zero());
  EXPECT_TRUE(std::get<cv::Timestamp>(zero_row[28]).zero());
  EXPECT_EQ(std::get<cv::String>(max_row[32]).collation_id, 8u);  // latin1_swedish_ci
}

TEST_F(BinlogStreamTest, TransactionArrivesWholeAndInOrder) {
  auto store = Store();
  store.Execute("CREATE TABLE t_a (id INT PRIMARY KEY, v VARCHAR(10))");
  store.Execute("CREATE TABLE t_b (id INT PRIMARY KEY, n BIGINT)");
  const BinlogPosition start = EndOfBinlog();
  store.Execute("START TRANSACTION");
  store.Execute("INSERT INTO t_a VALUES (1, 'one'), (2, 'two')");
  store.Execute("UPDATE t_a SET v = 'uno' WHERE id = 1");
  store.Execute("INSERT INTO t_b VALUES (7, -7)");
  store.Execute("COMMIT");
  store.Execute("ALTER TABLE t_b ADD COLUMN extra INT");
  const BinlogPosition end = EndOfBinlog();

  std::vector<BinlogEvent> events;
  for (auto& event : ReadEvents(start, end)) {
    // Stream bookkeeping around the data: not part of the transaction.
    if (event.type == BinlogEventType::kRotate ||
        event.type == BinlogEventType::kFormatDescription ||
        event.type == BinlogEventType::kMariadbGtidList ||
        event.type == BinlogEventType::kBinlogCheckpoint) {
      continue;
    }
    events.push_back(std::move(event));
  }
  std::vector<BinlogEventType> types;
  for (const auto& event : events) types.push_back(event.type);
  const std::vector<BinlogEventType> expected = {
      BinlogEventType::kMariadbGtid, BinlogEventType::kTableMap,     BinlogEventType::kWriteRowsV1,
      BinlogEventType::kTableMap,    BinlogEventType::kUpdateRowsV1, BinlogEventType::kTableMap,
      BinlogEventType::kWriteRowsV1, BinlogEventType::kXid,          BinlogEventType::kMariadbGtid,
      BinlogEventType::kQuery};
  ASSERT_EQ(types, expected);

  const auto gtid = source::ParseGtidEvent(events[0]);
  EXPECT_FALSE(gtid.standalone());
  EXPECT_TRUE(gtid.transactional());
  EXPECT_EQ(gtid.domain_id, 0u);
  EXPECT_EQ(gtid.server_id, 1u);
  EXPECT_GT(source::ParseXidEvent(events[7]).xid, 0u);
  const auto ddl_gtid = source::ParseGtidEvent(events[8]);
  EXPECT_TRUE(ddl_gtid.standalone());
  EXPECT_EQ(ddl_gtid.sequence, gtid.sequence + 1);
  const auto ddl = source::ParseQueryEvent(events[9]);
  EXPECT_EQ(ddl.schema, "ecommerce");
  EXPECT_FALSE(ddl.IsBegin());
  EXPECT_NE(ddl.statement.find("ALTER TABLE t_b"), std::string::npos);

  auto rows = DecodeRows(events, "t_a");
  ASSERT_EQ(rows.size(), 2u);
  ASSERT_EQ(rows[0].rows.size(), 2u);
  EXPECT_EQ(std::get<cv::String>(rows[0].rows[1].after[1]).bytes, "two");
  EXPECT_EQ(std::get<cv::String>(rows[1].rows[0].before[1]).bytes, "one");
  EXPECT_EQ(std::get<cv::String>(rows[1].rows[0].after[1]).bytes, "uno");
  auto b_rows = DecodeRows(events, "t_b");
  ASSERT_EQ(b_rows.size(), 1u);
  EXPECT_EQ(std::get<int64_t>(b_rows[0].rows[0].after[1]), -7);
}

// TIMESTAMP is logged in UTC whatever the writing session's time zone.
TEST_F(BinlogStreamTest, TimestampIsUtcWhateverTheSessionTimeZone) {
  auto store = Store();
  store.Execute("CREATE TABLE t_tz (id INT PRIMARY KEY, ts TIMESTAMP(6) NULL)");
  const BinlogPosition start = EndOfBinlog();
  store.Execute("SET time_zone = '+05:30'");
  store.Execute("INSERT INTO t_tz VALUES (1, '2024-03-10 02:30:00.250000')");
  const BinlogPosition end = EndOfBinlog();
  const auto rows = DecodeRows(ReadEvents(start, end), "t_tz");
  ASSERT_EQ(rows.size(), 1u);
  // 2024-03-10 02:30:00.25 at +05:30 is 2024-03-09 21:00:00.25 UTC.
  const auto ts = std::get<cv::Timestamp>(rows[0].rows[0].after[1]);
  EXPECT_EQ(ts.utc_microseconds, 1710018000LL * 1000000 + 250000);
  EXPECT_EQ(source::FormatColumnValue(ts, 6), "2024-03-09 21:00:00.250000");
}

TEST_F(BinlogStreamTest, StartsFromAGtidState) {
  auto store = Store();
  store.Execute("CREATE TABLE t_g (id INT PRIMARY KEY)");
  auto repl = MysqlConnection::Connect(Server().ReplicationUser());
  const std::string state = repl.QueryScalar("SELECT @@GLOBAL.gtid_binlog_pos").value();
  store.Execute("INSERT INTO t_g VALUES (42)");
  const BinlogPosition end = EndOfBinlog();

  auto options = Options(BinlogPosition{});
  options.gtid_state = state;
  auto stream = BinlogStream::Open(Server().ReplicationUser(), options);
  std::optional<source::GtidEvent> first_gtid;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!(stream.position() == end) && std::chrono::steady_clock::now() < deadline) {
    const auto& event = stream.Next();
    if (event.type == BinlogEventType::kMariadbGtid && !first_gtid) {
      first_gtid = source::ParseGtidEvent(event);
    }
  }
  EXPECT_EQ(stream.position(), end);
  ASSERT_TRUE(first_gtid.has_value());
  // The first group after the state is the INSERT's.
  const auto last_seq = std::stoull(state.substr(state.rfind('-') + 1));
  EXPECT_EQ(first_gtid->sequence, last_seq + 1);
}

TEST_F(BinlogStreamTest, PurgedPositionIsAClearError) {
  auto store = Store();
  store.Execute("CREATE TABLE t_p (id INT PRIMARY KEY)");
  const BinlogPosition old = EndOfBinlog();
  store.Execute("INSERT INTO t_p VALUES (1)");
  auto root = MysqlConnection::Connect(Server().Root());
  root.Execute("FLUSH BINARY LOGS");
  const BinlogPosition now = EndOfBinlog();
  ASSERT_NE(now.file, old.file);
  // MariaDB keeps (with only a warning) a file its binlog checkpoint still
  // needs for crash recovery until InnoDB has made the commits durable:
  // retry until the old file is really gone.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  for (;;) {
    root.Execute("PURGE BINARY LOGS TO '" + root.Escape(now.file) + "'");
    if (root.Query("SHOW BINARY LOGS").at(0).at(0) != old.file) break;
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << old.file << " was never purged";
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }

  auto stream = BinlogStream::Open(Server().ReplicationUser(), Options(old));
  try {
    for (int i = 0; i < 5; ++i) stream.Next();
    FAIL() << "reading from a purged position did not fail";
  } catch (const source::BinlogPositionPurgedError& e) {
    const std::string message = e.what();
    EXPECT_EQ(e.code(), 1236);
    EXPECT_NE(message.find(old.file), std::string::npos) << message;
    EXPECT_NE(message.find("re-snapshot"), std::string::npos) << message;
  }
}

TEST_F(BinlogStreamTest, HeartbeatsWhileIdleAndLostConnectionIsDistinguishable) {
  auto stream = BinlogStream::Open(Server().ReplicationUser(), Options(EndOfBinlog()));
  EXPECT_EQ(stream.checksum_algorithm(), "CRC32");
  // Idle source: heartbeats keep Next() returning, so a caller can stop.
  int heartbeats = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (heartbeats < 2 && std::chrono::steady_clock::now() < deadline) {
    if (stream.Next().type == BinlogEventType::kHeartbeat) ++heartbeats;
  }
  EXPECT_EQ(heartbeats, 2);

  Server().Kill();
  try {
    for (int i = 0; i < 100; ++i) stream.Next();
    FAIL() << "the stream kept going after the server died";
  } catch (const source::BinlogConnectionLostError& e) {
    EXPECT_NE(std::string(e.what()).find("reconnect"), std::string::npos) << e.what();
  }
  Server().Start();
}

}  // namespace
}  // namespace futureim
