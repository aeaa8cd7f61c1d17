// The raw tier's commit protocol (RawChangeWriter + ReplicationCheckpoint)
// with real DuckDB and real files: what readers see after commits, after a
// simulated crash, and after SIGKILL at random instants.

#include <chrono>
#include <map>
#include <random>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/error.h"
#include "engine/duckdb.h"
#include "lake/raw_tier_layout.h"
#include "replicate/raw_change_writer.h"
#include "replicate/replication_checkpoint.h"
#include "support/temp_dir.h"

namespace futureim::replicate {
namespace {

namespace cv = source::column_value;
namespace fs = std::filesystem;

source::CharsetTranscoder Utf8Only() {
  return source::CharsetTranscoder(
      {{45, "utf8mb4"}, {46, "utf8mb4"}, {8, "latin1"}, {63, "binary"}});
}

source::BinlogColumn SourceColumn(std::string name, source::BinlogColumnType type) {
  source::BinlogColumn column;
  column.name = std::move(name);
  column.type = type;
  return column;
}

// orders(order_id VARCHAR(36) PK, amount DECIMAL(12,2), n BIGINT UNSIGNED, day DATE)
RawTableSchema OrdersSchema() {
  source::TableMap map;
  map.schema = "shop";
  map.table = "orders";
  map.has_column_names = true;
  auto id = SourceColumn("order_id", source::BinlogColumnType::kVarchar);
  id.collation_id = 45;
  id.max_length = 144;
  auto amount = SourceColumn("amount", source::BinlogColumnType::kNewDecimal);
  amount.precision = 12;
  amount.scale = 2;
  auto n = SourceColumn("n", source::BinlogColumnType::kLongLong);
  n.is_unsigned = true;
  map.columns = {id, amount, n, SourceColumn("day", source::BinlogColumnType::kDate)};
  map.primary_key = {0};
  return RawTableSchema::FromTableMap(map);
}

source::RowImage OrderRow(const std::string& id, const std::string& amount, uint64_t n,
                          cv::Date day) {
  return {cv::String{id, 45}, cv::Decimal{amount}, n, day};
}

int64_t Micros(int days) { return int64_t{days} * 86'400'000'000; }

class RawCommitTest : public ::testing::Test {
 protected:
  testing::TempDir dir_;
  lake::RawTierLayout layout_{dir_.path()};
  source::CharsetTranscoder transcoder_ = Utf8Only();

  // Every committed row of shop.orders, as text, in _seq order.
  std::vector<std::vector<std::optional<std::string>>> CommittedRows() {
    const auto files = layout_.CommittedFiles("shop", "orders", layout_.LastCommit());
    if (files.empty()) return {};
    std::string list;
    for (const auto& f : files) list += (list.empty() ? "'" : ", '") + f.string() + "'";
    engine::Database db;
    engine::Connection connection(db);
    connection.Execute("SET TimeZone='UTC'");
    return connection
        .Query(
            "SELECT order_id, amount::VARCHAR, n::VARCHAR, day::VARCHAR, _op, _seq, "
            "commit_date::VARCHAR FROM read_parquet([" +
            list + "], hive_partitioning=true) ORDER BY _seq")
        .FetchAllAsText();
  }
};

TEST_F(RawCommitTest, CommittedFilesAndStateBecomeVisibleTogether) {
  engine::Database db;
  const RawTableSchema schema = OrdersSchema();
  {
    auto checkpoint = ReplicationCheckpoint::Open(layout_);
    RawChangeWriter writer(db, layout_, transcoder_, {});
    const uint64_t seq = checkpoint.ReserveSeqs(3);
    writer.Append(schema, kOpInsert, Micros(20000), seq,
                  OrderRow("a", "12.50", 18446744073709551615ull, {2024, 2, 29}));
    writer.Append(schema, kOpUpdate, Micros(20001), seq + 1, OrderRow("a", "-0.01", 0, {0, 0, 0}));
    writer.Append(schema, kOpDelete, Micros(20001), seq + 2, OrderRow("a", "-0.01", 0, {0, 0, 0}));
    auto files = writer.TakeStagedFiles();
    ASSERT_EQ(files.size(), 2u);  // two partition days
    for (const auto& f : files) {
      EXPECT_TRUE(lake::RawTierLayout::IsInProgressFileName(f.path.filename().string()));
    }
    EXPECT_TRUE(CommittedRows().empty()) << "staged files must not be visible";
    checkpoint.Commit(std::move(files), [](ReplicationState& state) {
      state.position = source::BinlogPosition{"mysql-bin.000001", 777};
    });
    EXPECT_EQ(writer.TakeWarnings().zero_dates, 2u);
  }
  const auto rows = CommittedRows();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0],
            (std::vector<std::optional<std::string>>{"a", "12.50", "18446744073709551615",
                                                     "2024-02-29", "I", "1", "2024-10-04"}));
  EXPECT_EQ(rows[1][1], "-0.01");
  EXPECT_EQ(rows[1][3], std::nullopt) << "a zero date is stored as NULL";
  EXPECT_EQ(rows[1][4], "U");
  EXPECT_EQ(rows[2][4], "D");
  EXPECT_EQ(rows[2][6], "2024-10-05");
  auto checkpoint = ReplicationCheckpoint::Open(layout_);
  EXPECT_EQ(checkpoint.State().commit, 1u);
  EXPECT_EQ(checkpoint.State().position->offset, 777u);
  EXPECT_GE(checkpoint.State().next_seq, 4u);
}

TEST_F(RawCommitTest, DecimalsAreStoredExactlyAndAValueThatDoesNotFitIsRefused) {
  engine::Database db;
  const RawTableSchema schema = OrdersSchema();  // amount DECIMAL(12,2)
  auto checkpoint = ReplicationCheckpoint::Open(layout_);
  RawChangeWriter writer(db, layout_, transcoder_, {});
  writer.Append(schema, kOpInsert, Micros(20000), 1,
                OrderRow("max", "9999999999.99", 1, {2024, 1, 1}));
  writer.Append(schema, kOpInsert, Micros(20000), 2, OrderRow("neg", "-0.50", 2, {2024, 1, 1}));
  writer.Append(schema, kOpInsert, Micros(20000), 3, OrderRow("pad", "1.500", 3, {2024, 1, 1}));
  checkpoint.Commit(writer.TakeStagedFiles(), [](ReplicationState&) {});
  const auto rows = CommittedRows();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0][1], "9999999999.99");
  EXPECT_EQ(rows[1][1], "-0.50");
  EXPECT_EQ(rows[2][1], "1.50");
  // Too many integer digits, or a non-zero digit beyond the scale: an error,
  // never a rounded or overflowed number.
  EXPECT_THROW(writer.Append(schema, kOpInsert, Micros(20000), 4,
                             OrderRow("big", "10000000000.00", 4, {2024, 1, 1})),
               core::Error);
  writer.Discard();
  EXPECT_THROW(writer.Append(schema, kOpInsert, Micros(20000), 5,
                             OrderRow("fine", "1.234", 5, {2024, 1, 1})),
               core::Error);
  writer.Discard();
}

TEST_F(RawCommitTest, RowsArePartitionedByTheUtcDayOfTheirCommitTime) {
  engine::Database db;
  const RawTableSchema schema = OrdersSchema();
  auto checkpoint = ReplicationCheckpoint::Open(layout_);
  RawChangeWriter writer(db, layout_, transcoder_, {});
  // One microsecond before 1970 is day -1; midnight and the last microsecond
  // of a day belong to that day.
  writer.Append(schema, kOpInsert, -1, 1, OrderRow("a", "1.00", 1, {2024, 1, 1}));
  writer.Append(schema, kOpInsert, Micros(0), 2, OrderRow("b", "1.00", 1, {2024, 1, 1}));
  writer.Append(schema, kOpInsert, Micros(1) - 1, 3, OrderRow("c", "1.00", 1, {2024, 1, 1}));
  writer.Append(schema, kOpInsert, Micros(19000), 4, OrderRow("d", "1.00", 1, {2024, 1, 1}));
  auto files = writer.TakeStagedFiles();
  std::map<int64_t, uint64_t> rows_per_day;
  for (const auto& f : files) rows_per_day[f.day] += f.rows;
  EXPECT_EQ(rows_per_day, (std::map<int64_t, uint64_t>{{-1, 1}, {0, 2}, {19000, 1}}));
  checkpoint.Commit(std::move(files), [](ReplicationState&) {});
  const auto rows = CommittedRows();
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0][6], "1969-12-31");
  EXPECT_EQ(rows[1][6], "1970-01-01");
  EXPECT_EQ(rows[2][6], "1970-01-01");
  EXPECT_EQ(rows[3][6], "2022-01-08");
}

TEST_F(RawCommitTest, UncommittedFilesAreRemovedOnOpen) {
  engine::Database db;
  const RawTableSchema schema = OrdersSchema();
  fs::path orphan;
  {
    auto checkpoint = ReplicationCheckpoint::Open(layout_);
    RawChangeWriter writer(db, layout_, transcoder_, {});
    writer.Append(schema, kOpInsert, Micros(20000), 1, OrderRow("a", "1.00", 1, {2024, 1, 1}));
    checkpoint.Commit(writer.TakeStagedFiles(), [](ReplicationState&) {});
    writer.Append(schema, kOpInsert, Micros(20000), 2, OrderRow("b", "2.00", 2, {2024, 1, 1}));
    auto staged = writer.TakeStagedFiles();
    ASSERT_EQ(staged.size(), 1u);
    // As if the process died between renaming commit 2's files and writing
    // its manifest: a visible file of a commit the manifest does not have.
    orphan = staged[0].path.parent_path() / lake::RawTierLayout::CommittedFileName(2, 1);
    fs::rename(staged[0].path, orphan);
    writer.Append(schema, kOpInsert, Micros(20000), 3, OrderRow("c", "3.00", 3, {2024, 1, 1}));
    writer.Spill();  // an in-progress file left behind
  }
  EXPECT_TRUE(fs::exists(orphan));
  EXPECT_EQ(CommittedRows().size(), 1u) << "readers skip files of uncommitted commits";
  auto checkpoint = ReplicationCheckpoint::Open(layout_);
  EXPECT_FALSE(fs::exists(orphan));
  size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(layout_.TableDir("shop", "orders"))) {
    if (entry.is_regular_file()) {
      ++files;
      EXPECT_EQ(lake::RawTierLayout::CommitOfFileName(entry.path().filename().string()), 1u);
    }
  }
  EXPECT_EQ(files, 1u);
}

TEST_F(RawCommitTest, SecondReplicatorOnTheSameLakeIsRefused) {
  auto first = ReplicationCheckpoint::Open(layout_);
  try {
    ReplicationCheckpoint::Open(layout_);
    FAIL() << "expected a lock error";
  } catch (const core::Error& e) {
    EXPECT_NE(std::string(e.what()).find("another `futureim replicate` is running"),
              std::string::npos);
  }
}

TEST_F(RawCommitTest, SpillKeepsMemoryBoundedAndOneCommitTakesAllSpills) {
  engine::Database db;
  const RawTableSchema schema = OrdersSchema();
  auto checkpoint = ReplicationCheckpoint::Open(layout_);
  RawChangeWriter writer(db, layout_, transcoder_, {/*spill_bytes=*/64 << 10});
  const uint64_t first = checkpoint.ReserveSeqs(20000);
  for (uint64_t i = 0; i < 20000; ++i) {
    writer.Append(schema, kOpLoad, Micros(20000), first + i,
                  OrderRow("k" + std::to_string(i), "1.00", i, {2024, 1, 1}));
    ASSERT_LT(writer.buffered_bytes(), 64u << 10);
  }
  auto files = writer.TakeStagedFiles();
  EXPECT_GT(files.size(), 5u);
  checkpoint.Commit(std::move(files), [](ReplicationState&) {});
  EXPECT_EQ(CommittedRows().size(), 20000u);
}

// A child process commits batches forever; the parent kills it with SIGKILL
// at random instants, then checks what a restart sees: only whole commits,
// each row once, and counters that match the files.
TEST_F(RawCommitTest, KilledAtRandomInstantsTheLakeHoldsExactlyTheCommittedBatches) {
  std::mt19937 random(12345);
  constexpr int kKills = 20;
  for (int kill_round = 0; kill_round < kKills; ++kill_round) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      try {
        engine::Database db;
        auto checkpoint = ReplicationCheckpoint::Open(layout_);
        const RawTableSchema schema = OrdersSchema();
        RawChangeWriter writer(db, layout_, transcoder_, {/*spill_bytes=*/16 << 10});
        for (uint64_t batch = checkpoint.State().commit;; ++batch) {
          const uint64_t rows = 50 + batch % 200;
          const uint64_t seq = checkpoint.ReserveSeqs(rows);
          for (uint64_t i = 0; i < rows; ++i) {
            writer.Append(schema, kOpInsert, Micros(20000 + static_cast<int>(batch % 3)), seq + i,
                          OrderRow("b" + std::to_string(batch) + "-" + std::to_string(i), "9.99",
                                   batch, {2024, 1, 1}));
          }
          checkpoint.Commit(writer.TakeStagedFiles(), [&](ReplicationState& state) {
            TableProgress& t = state.tables["shop.orders"];
            t.schema = "shop";
            t.table = "orders";
            t.counters.inserts += rows;
          });
        }
      } catch (...) {
        ::_exit(3);
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(30 + random() % 400));
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status))
        << "the child stopped by itself (exit " << WEXITSTATUS(status) << ")";

    auto checkpoint = ReplicationCheckpoint::Open(layout_);  // cleans up
    const ReplicationState state = checkpoint.State();
    const auto rows = CommittedRows();
    const uint64_t expected =
        state.tables.count("shop.orders") ? state.tables.at("shop.orders").counters.inserts : 0;
    ASSERT_EQ(rows.size(), expected) << "after kill " << kill_round + 1;
    std::set<std::string> seqs;
    for (const auto& row : rows) ASSERT_TRUE(seqs.insert(*row[5]).second) << "duplicate _seq";
    for (const auto& entry : fs::recursive_directory_iterator(layout_.RawRoot())) {
      const auto name = entry.path().filename().string();
      EXPECT_FALSE(lake::RawTierLayout::IsInProgressFileName(name)) << name;
      if (const auto commit = lake::RawTierLayout::CommitOfFileName(name)) {
        EXPECT_LE(*commit, state.commit) << name;
      }
    }
  }
  EXPECT_GT(ReplicationCheckpoint::Open(layout_).State().commit, 0u);
}

}  // namespace
}  // namespace futureim::replicate
