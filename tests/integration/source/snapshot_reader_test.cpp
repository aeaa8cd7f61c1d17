// SnapshotReader against a real private MariaDB: every value read from the
// snapshot equals the one BinlogRowDecoder decodes from the INSERT of the
// same row (character data compared after transcoding the binlog's bytes);
// keyset chunks miss and repeat nothing; the snapshot position splits what
// the snapshot sees from what the binlog carries; memory stays bounded.

#include "source/snapshot_reader.h"

#include <chrono>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "source/charset_transcoder.h"
#include "source/mysql_connection.h"
#include "source/source_schema_reader.h"
#include "support/binlog_capture.h"
#include "support/every_type_table.h"
#include "support/mariadb_suite.h"

namespace futureim {
namespace {

using source::ColumnValue;
using source::MysqlConnection;
using source::RowImage;
using source::SnapshotReader;
using source::TableMap;
namespace cv = source::column_value;

class SnapshotReaderTest : public testing::PrivateMariadbSuite {
 protected:
  static MysqlConnection Store() { return MysqlConnection::Connect(Server().StoreUser()); }

  static TableMap Describe(const std::string& table) {
    auto repl = MysqlConnection::Connect(Server().ReplicationUser());
    return source::SourceSchemaReader(repl).ReadTable("ecommerce", table);
  }

  // Every row of `table`, chunk by chunk, with the keys each chunk ended at.
  static std::vector<RowImage> ReadAll(SnapshotReader& reader, const TableMap& table,
                                       uint64_t limit, int* chunks = nullptr) {
    std::vector<RowImage> rows;
    SnapshotReader::Key key;
    int count = 0;
    for (;;) {
      SnapshotReader::Key last;
      const uint64_t n = reader.ReadChunk(
          table, key, limit, [&](const RowImage& row) { rows.push_back(row); }, last);
      ++count;
      if (n < limit || table.primary_key.empty()) break;
      key = last;
    }
    if (chunks != nullptr) *chunks = count;
    return rows;
  }
};

// Memory the process holds now, in KiB.
long ResidentKib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return 0;
}

TEST_F(SnapshotReaderTest, EveryValueEqualsTheBinlogsDecodingOfItsInsert) {
  auto store = Store();
  store.Execute(testing::CreateEveryTypeTable("snap_types"));
  const auto start = testing::EndOfBinlog(Server());
  for (const auto& insert : testing::InsertEveryTypeEdgeRows("snap_types")) store.Execute(insert);
  const auto end = testing::EndOfBinlog(Server());
  std::vector<RowImage> logged;
  for (const auto& event :
       testing::RowsEventsOf(testing::ReadBinlogEvents(Server(), start, end), "snap_types")) {
    for (const auto& change : event.rows) logged.push_back(change.after);
  }
  ASSERT_EQ(logged.size(), 4u);

  const auto table = Describe("snap_types");
  auto reader = SnapshotReader::Begin(Server().ReplicationUser());
  const auto read = ReadAll(reader, table, 100);
  reader.End();
  ASSERT_EQ(read.size(), 4u);

  const auto transcoder = source::CharsetTranscoder::FromServer(store);
  const auto utf8mb4_collation = [&](uint32_t id) {
    return transcoder.IsText(id) && transcoder.ToUtf8("😀", id) == "😀";
  };
  for (size_t r = 0; r < read.size(); ++r) {
    ASSERT_EQ(read[r].size(), table.columns.size());
    for (size_t i = 0; i < table.columns.size(); ++i) {
      SCOPED_TRACE("row " + std::to_string(r + 1) + " column " + table.columns[i].name);
      const ColumnValue& want = logged[r][i];
      const ColumnValue& got = read[r][i];
      const auto* want_string = std::get_if<cv::String>(&want);
      const auto* got_string = std::get_if<cv::String>(&got);
      if (want_string != nullptr && got_string != nullptr &&
          transcoder.IsText(want_string->collation_id)) {
        EXPECT_EQ(got_string->bytes,
                  transcoder.ToUtf8(want_string->bytes, want_string->collation_id));
        // Unconverted text keeps its collation; converted text is utf8mb4.
        if (utf8mb4_collation(want_string->collation_id)) {
          EXPECT_EQ(got_string->collation_id, want_string->collation_id);
        } else {
          EXPECT_TRUE(utf8mb4_collation(got_string->collation_id)) << got_string->collation_id;
        }
        continue;
      }
      EXPECT_EQ(got, want) << "snapshot " << source::FormatColumnValue(got, 6) << ", binlog "
                           << source::FormatColumnValue(want, 6);
    }
  }
  // The comparison saw the interesting alternatives.
  EXPECT_EQ(std::get<uint64_t>(read[1][11]), 18446744073709551615ull);
  EXPECT_EQ(std::get<cv::Time>(read[0][22]).microseconds, -1500000);
  EXPECT_EQ(std::get<cv::Bit>(read[1][19]), (cv::Bit{~0ull, 64}));
  EXPECT_TRUE(std::get<cv::Timestamp>(read[3][28]).zero());
  EXPECT_EQ(std::get<cv::String>(read[1][34]).bytes, "naïve €");
  EXPECT_EQ(std::get<cv::String>(read[1][32]).collation_id, 45u);  // latin1, converted
  EXPECT_EQ(std::get<cv::Enum>(read[1][45]).name, "large");
}

// Keys with equal prefixes, composite keys, strings, binary and the largest
// unsigned values: limit 7 over 100 rows reads each row exactly once, in
// the server's key order.
TEST_F(SnapshotReaderTest, ChunksMissAndRepeatNothing) {
  auto store = Store();
  store.Execute(
      "CREATE TABLE composite (a INT NOT NULL, b VARCHAR(20) NOT NULL, v INT, PRIMARY KEY (a, b))");
  store.Execute("CREATE TABLE by_string (s VARCHAR(30) PRIMARY KEY, v INT)");
  store.Execute(
      "CREATE TABLE by_binary (u BIGINT UNSIGNED NOT NULL, vb VARBINARY(4) NOT NULL, "
      "PRIMARY KEY (u, vb))");
  for (int i = 0; i < 100; ++i) {
    const std::string n = std::to_string(i);
    const std::string prefix = std::string(static_cast<size_t>(i % 4), 'k');
    store.Execute("INSERT INTO composite VALUES (" + std::to_string(i / 10) + ", '" + prefix + n +
                  "', " + n + ")");
    store.Execute("INSERT INTO by_string VALUES ('" + std::string(static_cast<size_t>(i % 7), 'a') +
                  (i % 3 == 0 ? "é" : "") + n + "', " + n + ")");
    store.Execute("INSERT INTO by_binary VALUES (18446744073709551615 - " + std::to_string(i / 25) +
                  ", x'" + (i % 2 ? "00" : "FF") + std::string(i % 3 == 0 ? "" : "00") +
                  (i < 16 ? "0" : "") +
                  [&] {
                    char hex[8];
                    std::snprintf(hex, sizeof hex, "%X", i);
                    return std::string(hex);
                  }() +
                  "')");
  }
  auto reader = SnapshotReader::Begin(Server().ReplicationUser());
  for (const std::string name : {"composite", "by_string", "by_binary"}) {
    SCOPED_TRACE(name);
    const auto table = Describe(name);
    int chunks = 0;
    const auto rows = ReadAll(reader, table, 7, &chunks);
    EXPECT_EQ(rows.size(), 100u);
    EXPECT_EQ(chunks, 15);  // 14 full chunks and a short one
    // The server's own order of the key, as text.
    std::string keys = table.columns[table.primary_key[0]].name;
    for (size_t k = 1; k < table.primary_key.size(); ++k) {
      keys += ", " + table.columns[table.primary_key[k]].name;
    }
    const auto expected = store.Query("SELECT " + keys + " FROM " + name + " ORDER BY " + keys);
    ASSERT_EQ(expected.size(), rows.size());
    std::set<std::vector<std::string>> seen;
    for (size_t r = 0; r < rows.size(); ++r) {
      std::vector<std::string> key;
      for (uint32_t k : table.primary_key) key.push_back(source::FormatColumnValue(rows[r][k]));
      EXPECT_TRUE(seen.insert(key).second) << "row " << r << " repeated";
      for (size_t k = 0; k < key.size(); ++k) EXPECT_EQ(key[k], expected[r][k].value());
    }
  }
  reader.End();
}

TEST_F(SnapshotReaderTest, TableWithoutPrimaryKeyIsReadWhole) {
  auto store = Store();
  store.Execute("CREATE TABLE no_key (a INT, b TEXT)");
  store.Execute("INSERT INTO no_key SELECT seq, CONCAT('row ', seq) FROM seq_1_to_50");
  store.Execute("INSERT INTO no_key VALUES (1, 'row 1')");  // a duplicate row
  const auto table = Describe("no_key");
  ASSERT_TRUE(table.primary_key.empty());
  auto reader = SnapshotReader::Begin(Server().ReplicationUser());
  SnapshotReader::Key last{"stale"};
  uint64_t seen = 0;
  EXPECT_EQ(reader.ReadChunk(
                table, {}, 7, [&](const RowImage&) { ++seen; }, last),
            51u);
  EXPECT_EQ(seen, 51u);
  EXPECT_TRUE(last.empty());
}

// The invariant CDC relies on: a row committed after Begin() is not in the
// snapshot and is in the binlog after position(); one committed before is
// in the snapshot and not after position().
TEST_F(SnapshotReaderTest, PositionSplitsSnapshotFromBinlog) {
  auto store = Store();
  store.Execute("CREATE TABLE split (id INT PRIMARY KEY, v VARCHAR(10))");
  store.Execute("INSERT INTO split VALUES (1, 'before')");
  auto reader = SnapshotReader::Begin(Server().ReplicationUser());
  const auto now_us = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  EXPECT_LT(std::abs(reader.started_at_us() - now_us), 60'000'000);
  store.Execute("INSERT INTO split VALUES (2, 'after')");
  store.Execute("UPDATE split SET v = 'changed' WHERE id = 1");
  const auto end = testing::EndOfBinlog(Server());

  const auto table = Describe("split");
  const auto rows = ReadAll(reader, table, 10);
  reader.End();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(std::get<int64_t>(rows[0][0]), 1);
  EXPECT_EQ(std::get<cv::String>(rows[0][1]).bytes, "before");

  const auto changes =
      testing::RowsEventsOf(testing::ReadBinlogEvents(Server(), reader.position(), end), "split");
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].kind, source::RowChangeKind::kInsert);
  EXPECT_EQ(std::get<int64_t>(changes[0].rows.at(0).after[0]), 2);
  EXPECT_EQ(changes[1].kind, source::RowChangeKind::kUpdate);
  EXPECT_EQ(std::get<cv::String>(changes[1].rows.at(0).before[1]).bytes, "before");
}

TEST_F(SnapshotReaderTest, TableDroppedAfterTheSnapshotBeganIsAClearError) {
  auto store = Store();
  store.Execute("CREATE TABLE doomed (id INT PRIMARY KEY)");
  store.Execute("INSERT INTO doomed VALUES (1), (2)");
  const auto table = Describe("doomed");
  auto reader = SnapshotReader::Begin(Server().ReplicationUser());
  store.Execute("DROP TABLE doomed");
  SnapshotReader::Key last;
  try {
    reader.ReadChunk(
        table, {}, 10, [](const RowImage&) {}, last);
    FAIL() << "reading a dropped table did not fail";
  } catch (const source::SourceError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("ecommerce.doomed"), std::string::npos) << message;
    EXPECT_NE(message.find("new snapshot"), std::string::npos) << message;
  }
}

// A 1M-row table read as one chunk: rows are streamed, so the process does
// not grow with the table (~130 MB of row data).
TEST_F(SnapshotReaderTest, StreamsAMillionRowsInBoundedMemory) {
  auto store = Store();
  store.Execute("CREATE TABLE million (id INT PRIMARY KEY, n BIGINT, v VARCHAR(200))");
  store.Execute(
      "INSERT INTO million SELECT seq, seq * 7, REPEAT(CHAR(97 + seq % 26), 120) "
      "FROM seq_1_to_1000000");
  const auto table = Describe("million");
  auto reader = SnapshotReader::Begin(Server().ReplicationUser());
  const long before_kib = ResidentKib();
  long peak_kib = before_kib;
  uint64_t rows = 0;
  int64_t id_sum = 0;
  SnapshotReader::Key last;
  const auto started = std::chrono::steady_clock::now();
  const uint64_t n = reader.ReadChunk(
      table, {}, 2'000'000,
      [&](const RowImage& row) {
        id_sum += std::get<int64_t>(row[0]);
        if (++rows % 100'000 == 0) peak_kib = std::max(peak_kib, ResidentKib());
      },
      last);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  reader.End();
  EXPECT_EQ(n, 1'000'000u);
  EXPECT_EQ(id_sum, 500000500000);
  EXPECT_EQ(last, (SnapshotReader::Key{"1000000"}));
  EXPECT_LT(peak_kib - before_kib, 16 * 1024)
      << "RSS grew from " << before_kib << " to " << peak_kib << " KiB";
  std::printf("read 1M rows in %.2f s (%.0f rows/s), RSS +%ld KiB\n", seconds, n / seconds,
              peak_kib - before_kib);
}

}  // namespace
}  // namespace futureim
