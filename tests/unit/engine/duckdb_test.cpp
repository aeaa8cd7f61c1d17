#include "engine/duckdb.h"

#include <atomic>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "engine/text.h"
#include "support/temp_dir.h"

namespace futureim::engine {
namespace {

using ::testing::HasSubstr;
using namespace std::string_literals;

static_assert(!std::is_copy_constructible_v<Database> && std::is_move_constructible_v<Database>);
static_assert(!std::is_copy_constructible_v<Connection> &&
              std::is_move_constructible_v<Connection>);
static_assert(!std::is_copy_constructible_v<PreparedStatement>);
static_assert(!std::is_copy_constructible_v<Appender> && std::is_move_constructible_v<Appender>);
static_assert(!std::is_copy_constructible_v<Result> && !std::is_copy_constructible_v<DataChunk>);

// Runs `fn`, which must throw DuckDbError, and returns the error.
template <typename Fn>
DuckDbError ExpectDuckDbError(Fn&& fn) {
  try {
    fn();
  } catch (const DuckDbError& error) {
    return error;
  }
  ADD_FAILURE() << "expected a DuckDbError";
  return DuckDbError("(none thrown)");
}

std::string SqlString(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? "''" : std::string(1, c);
  return quoted + "'";
}

class DuckDbTest : public ::testing::Test {
 protected:
  Database db_;
  Connection conn_{db_};
};

// ---------------------------------------------------------------------------
// Database

TEST(DuckDbDatabaseTest, ExtensionAutoInstallAndAutoLoadAreOff) {
  Database db;
  Connection conn(db);
  EXPECT_EQ(conn.Query("SELECT current_setting('autoload_known_extensions')::VARCHAR").ScalarText(),
            "false");
  EXPECT_EQ(
      conn.Query("SELECT current_setting('autoinstall_known_extensions')::VARCHAR").ScalarText(),
      "false");
  // A remote file needs httpfs, which is not built in: DuckDB must refuse at
  // once instead of trying to download it.
  DuckDbError error = ExpectDuckDbError(
      [&] { conn.Query("SELECT * FROM read_csv('https://example.invalid/data.csv')"); });
  EXPECT_EQ(error.Type(), DUCKDB_ERROR_MISSING_EXTENSION);
  EXPECT_THAT(error.what(), HasSubstr("httpfs"));
}

TEST(DuckDbDatabaseTest, BuiltInExtensionsWork) {
  Database db;
  Connection conn(db);
  EXPECT_EQ(conn.Query("SELECT json_extract('{\"a\": 7}', '$.a')::INTEGER").ScalarInt64(), 7);
  EXPECT_EQ(conn.Query("SELECT count(*) FROM duckdb_extensions() "
                       "WHERE loaded AND extension_name IN ('parquet', 'json', 'icu')")
                .ScalarInt64(),
            3);
}

TEST(DuckDbDatabaseTest, ExtraSettingsAreApplied) {
  Database db("", {{"threads", "1"}, {"memory_limit", "256MB"}});
  Connection conn(db);
  EXPECT_EQ(conn.Query("SELECT current_setting('threads')").ScalarInt64(), 1);
  EXPECT_THAT(*conn.Query("SELECT current_setting('memory_limit')").ScalarText(), HasSubstr("MiB"));
}

TEST(DuckDbDatabaseTest, UnknownSettingFailsWithDuckDbMessage) {
  DuckDbError error = ExpectDuckDbError([] { Database db("", {{"no_such_setting", "1"}}); });
  EXPECT_THAT(error.what(), HasSubstr("no_such_setting"));
}

TEST(DuckDbDatabaseTest, ExtensionAutoLoadCannotBeTurnedOn) {
  DuckDbError error = ExpectDuckDbError([] {
    Database db("", {{"AUTOLOAD_KNOWN_EXTENSIONS", "true"}});
  });
  EXPECT_THAT(error.what(), HasSubstr("AUTOLOAD_KNOWN_EXTENSIONS"));
  ExpectDuckDbError([] { Database db("", {{"autoinstall_known_extensions", "true"}}); });
}

TEST(DuckDbDatabaseTest, FileDatabaseKeepsDataAcrossOpens) {
  testing::TempDir dir("duckdb-test");
  const std::string path = (dir.path() / "lake.duckdb").string();
  {
    Database db(path);
    Connection conn(db);
    conn.Execute("CREATE TABLE t AS SELECT * FROM range(10) r(i)");
  }
  Database db(path);
  Connection conn(db);
  EXPECT_EQ(conn.Query("SELECT sum(i) FROM t").ScalarInt64(), 45);
}

TEST(DuckDbDatabaseTest, OpenFailureCarriesDuckDbMessage) {
  DuckDbError error =
      ExpectDuckDbError([] { Database db("/nonexistent-futureim-dir/sub/x.duckdb"); });
  EXPECT_THAT(error.what(), HasSubstr("cannot open DuckDB database"));
  EXPECT_THAT(error.what(), HasSubstr("/nonexistent-futureim-dir/sub/x.duckdb"));
  EXPECT_THAT(error.what(), HasSubstr("IO Error"));
}

TEST(DuckDbDatabaseTest, MovedFromObjectsRefuseUse) {
  Database db;
  Database moved = std::move(db);
  EXPECT_THROW(Connection{db}, std::logic_error);  // NOLINT(bugprone-use-after-move)
  Connection conn(moved);
  Connection other = std::move(conn);
  EXPECT_THROW(conn.Query("SELECT 1"), std::logic_error);  // NOLINT(bugprone-use-after-move)
  conn.Interrupt();                                        // a no-op, never a crash
  EXPECT_EQ(other.Query("SELECT 1").ScalarInt64(), 1);
}

// ---------------------------------------------------------------------------
// Query, Result, DataChunk

TEST_F(DuckDbTest, IteratesChunksOverManyRows) {
  constexpr int64_t kRows = 10'000;
  Result result = conn_.Query(
      "SELECT i, 'row-' || i AS label, CASE WHEN i % 7 = 0 THEN NULL ELSE i * 2 END AS maybe, "
      "42 AS constant FROM range(" +
      std::to_string(kRows) + ") t(i) ORDER BY i");
  ASSERT_EQ(result.ColumnCount(), 4u);
  EXPECT_EQ(result.ColumnNames(), (std::vector<std::string>{"i", "label", "maybe", "constant"}));
  EXPECT_EQ(result.ColumnType(0), DUCKDB_TYPE_BIGINT);
  EXPECT_EQ(result.ColumnTypeName(1), "VARCHAR");
  EXPECT_EQ(result.ColumnType(3), DUCKDB_TYPE_INTEGER);

  int64_t next = 0;
  int chunks = 0;
  while (std::optional<DataChunk> chunk = result.NextChunk()) {
    ++chunks;
    ASSERT_GT(chunk->Size(), 0u);
    ASSERT_LE(chunk->Size(), duckdb_vector_size());
    ColumnView ids = chunk->Column(0);
    ColumnView labels = chunk->Column(1);
    ColumnView maybe = chunk->Column(2);
    ColumnView constant = chunk->Column(3);
    for (idx_t row = 0; row < chunk->Size(); ++row, ++next) {
      ASSERT_EQ(ids.Get<int64_t>(row), next);
      ASSERT_EQ(labels.GetString(row), "row-" + std::to_string(next));
      ASSERT_EQ(maybe.IsNull(row), next % 7 == 0);
      if (!maybe.IsNull(row)) {
        ASSERT_EQ(maybe.Get<int64_t>(row), next * 2);
      }
      ASSERT_EQ(constant.Get<int32_t>(row), 42);
    }
  }
  EXPECT_EQ(next, kRows);
  EXPECT_GE(chunks, 5);  // 10'000 rows / 2'048 per chunk
  EXPECT_FALSE(result.NextChunk().has_value());
}

TEST_F(DuckDbTest, ReportsColumnTypes) {
  Result result = conn_.Query(
      "SELECT 1::TINYINT a, 2.5::DECIMAL(10,2) b, [1, 2] c, {'x': 'y'} d, '{}'::JSON e, "
      "'b'::ENUM('a', 'b') f, TIMESTAMPTZ '2020-01-01 00:00:00+00' g, 'x'::BLOB h");
  std::vector<std::string> names;
  for (idx_t i = 0; i < result.ColumnCount(); ++i) names.push_back(result.ColumnTypeName(i));
  EXPECT_EQ(names,
            (std::vector<std::string>{"TINYINT", "DECIMAL(10,2)", "INTEGER[]", "STRUCT(x VARCHAR)",
                                      "JSON", "ENUM", "TIMESTAMP WITH TIME ZONE", "BLOB"}));
  EXPECT_EQ(result.Column(1).decimal_width, 10);
  EXPECT_EQ(result.Column(1).decimal_scale, 2);
  EXPECT_EQ(result.Column(1).storage_type, DUCKDB_TYPE_BIGINT);  // width 10..18
  EXPECT_EQ(result.Column(5).enum_values, (std::vector<std::string>{"a", "b"}));
  EXPECT_THROW(result.Column(8), std::out_of_range);
}

TEST_F(DuckDbTest, WrongAccessIsALogicError) {
  Result result = conn_.Query("SELECT 1::BIGINT AS n, 'x' AS s");
  std::optional<DataChunk> chunk = result.NextChunk();
  ASSERT_TRUE(chunk.has_value());
  EXPECT_THROW(chunk->Column(0).Get<int32_t>(0), std::logic_error);
  EXPECT_THROW(chunk->Column(0).Get<double>(0), std::logic_error);
  EXPECT_THROW(chunk->Column(0).GetString(0), std::logic_error);
  EXPECT_THROW(chunk->Column(0).GetDecimal(0), std::logic_error);
  EXPECT_THROW(chunk->Column(1).Get<int64_t>(0), std::logic_error);
  EXPECT_THROW(chunk->Column(0).Get<int64_t>(1), std::out_of_range);
  EXPECT_THROW(chunk->Column(2), std::out_of_range);
  EXPECT_EQ(chunk->Column(0).Get<int64_t>(0), 1);
}

TEST_F(DuckDbTest, CountsChangedRows) {
  EXPECT_EQ(conn_.Query("CREATE TABLE t(i INTEGER)").RowsChanged(), 0u);
  EXPECT_EQ(conn_.Query("INSERT INTO t SELECT * FROM range(5)").RowsChanged(), 5u);
  EXPECT_EQ(conn_.Query("UPDATE t SET i = i + 1 WHERE i < 3").RowsChanged(), 3u);
  EXPECT_EQ(conn_.Query("DELETE FROM t WHERE i > 3").RowsChanged(), 1u);
  EXPECT_EQ(conn_.Query("SELECT * FROM t").RowsChanged(), 0u);
}

TEST_F(DuckDbTest, ScalarHelpers) {
  EXPECT_EQ(conn_.Query("SELECT count(*) FROM range(17)").ScalarInt64(), 17);
  EXPECT_EQ(conn_.Query("SELECT sum(i) FROM range(100) t(i)").ScalarInt64(), 4950);  // HUGEINT
  EXPECT_EQ(conn_.Query("SELECT 7::UTINYINT").ScalarInt64(), 7);
  EXPECT_EQ(conn_.Query("SELECT 123::DECIMAL(20,0)").ScalarInt64(), 123);
  EXPECT_EQ(conn_.Query("SELECT NULL::INTEGER").ScalarInt64(), std::nullopt);
  EXPECT_EQ(conn_.Query("SELECT 1 WHERE false").ScalarInt64(), std::nullopt);
  EXPECT_EQ(conn_.Query("SELECT 'hello', 2").ScalarText(), "hello");
  EXPECT_EQ(conn_.Query("SELECT NULL::VARCHAR").ScalarText(), std::nullopt);
  EXPECT_EQ(ExpectDuckDbError([&] { conn_.Query("SELECT 1.5::DOUBLE").ScalarInt64(); }).Type(),
            DUCKDB_ERROR_MISMATCH_TYPE);
  EXPECT_EQ(ExpectDuckDbError([&] {
              conn_.Query("SELECT 170141183460469231731687303715884105727::HUGEINT").ScalarInt64();
            }).Type(),
            DUCKDB_ERROR_OUT_OF_RANGE);
  EXPECT_EQ(ExpectDuckDbError([&] {
              conn_.Query("SELECT 18446744073709551615::UBIGINT").ScalarInt64();
            }).Type(),
            DUCKDB_ERROR_OUT_OF_RANGE);
  EXPECT_EQ(conn_.Query("CREATE TABLE nothing(i INTEGER)").ScalarInt64(), std::nullopt);
}

TEST_F(DuckDbTest, FetchAllAsText) {
  auto rows = conn_
                  .Query(
                      "SELECT * FROM (VALUES (1, 'a', 1.50::DECIMAL(4,2)), (2, NULL, NULL)) "
                      "v(n, s, d) ORDER BY n")
                  .FetchAllAsText();
  using Row = std::vector<std::optional<std::string>>;
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (Row{"1", "a", "1.50"}));
  EXPECT_EQ(rows[1], (Row{"2", std::nullopt, std::nullopt}));
}

TEST_F(DuckDbTest, MultipleStatementsReturnTheLastResult) {
  EXPECT_EQ(conn_.Query("CREATE TABLE t AS SELECT 5 AS x; SELECT x * 2 FROM t").ScalarInt64(), 10);
}

TEST_F(DuckDbTest, MovedResultStillReads) {
  Result first = conn_.Query("SELECT 3");
  Result second = std::move(first);
  EXPECT_THROW(first.NextChunk(), std::logic_error);  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(second.ScalarInt64(), 3);
}

TEST_F(DuckDbTest, SqlWithNulByteIsRejected) {
  DuckDbError error = ExpectDuckDbError([&] { conn_.Query("SELECT 1;\0DROP TABLE x"s); });
  EXPECT_THAT(error.what(), HasSubstr("NUL byte"));
}

TEST_F(DuckDbTest, SyntaxErrorCarriesDuckDbMessage) {
  DuckDbError error = ExpectDuckDbError([&] { conn_.Query("SELEC 1"); });
  EXPECT_EQ(error.Type(), DUCKDB_ERROR_PARSER);
  EXPECT_THAT(error.what(), HasSubstr("Parser Error: syntax error at or near \"SELEC\""));
  EXPECT_THAT(ExpectDuckDbError([&] { conn_.Execute("CREATE TABEL t(i INT)"); }).what(),
              HasSubstr("syntax error"));
}

TEST_F(DuckDbTest, ExecutionErrorsCarryDuckDbMessage) {
  DuckDbError missing = ExpectDuckDbError([&] { conn_.Query("SELECT * FROM no_such_table"); });
  EXPECT_EQ(missing.Type(), DUCKDB_ERROR_CATALOG);
  EXPECT_THAT(missing.what(), HasSubstr("no_such_table"));

  DuckDbError conversion = ExpectDuckDbError([&] { conn_.Query("SELECT 'abc'::INTEGER"); });
  EXPECT_EQ(conversion.Type(), DUCKDB_ERROR_CONVERSION);
  EXPECT_THAT(conversion.what(), HasSubstr("'abc'"));

  EXPECT_THAT(ExpectDuckDbError([&] { conn_.Query("SELECT error('custom failure')"); }).what(),
              HasSubstr("custom failure"));
  // The connection stays usable after errors.
  EXPECT_EQ(conn_.Query("SELECT 1").ScalarInt64(), 1);
}

// ToText must print every value exactly as DuckDB's own CAST(... AS VARCHAR).
void ExpectTextMatchesDuckDb(Connection& conn, const std::string& values_sql) {
  Result result = conn.Query("SELECT v, v::VARCHAR FROM (" + values_sql + ") t(v)");
  int rows = 0;
  while (std::optional<DataChunk> chunk = result.NextChunk()) {
    for (idx_t row = 0; row < chunk->Size(); ++row, ++rows) {
      ASSERT_EQ(chunk->Column(0).ToText(row), chunk->Column(1).ToText(row))
          << "type " << result.ColumnTypeName(0) << " in " << values_sql;
    }
  }
  EXPECT_GT(rows, 0) << values_sql;
}

TEST_F(DuckDbTest, ToTextMatchesDuckDbCasts) {
  const std::vector<std::string> lists = {
      "VALUES (true), (false), (NULL::BOOLEAN)",
      "VALUES ((-128)::TINYINT), (127::TINYINT), ((-32768)::SMALLINT), (32767::SMALLINT)",
      "VALUES ((-2147483648)::INTEGER), (2147483647::INTEGER)",
      "VALUES ((-9223372036854775808)::BIGINT), (9223372036854775807::BIGINT)",
      "VALUES (255::UTINYINT), (65535::USMALLINT), (4294967295::UINTEGER), "
      "(18446744073709551615::UBIGINT)",
      "VALUES ((-170141183460469231731687303715884105728)::HUGEINT), "
      "(170141183460469231731687303715884105727::HUGEINT), (0::HUGEINT)",
      "VALUES (340282366920938463463374607431768211455::UHUGEINT)",
      "VALUES (0.0::DOUBLE), (1.0), (-1.5), (0.1), (1e15), (1e16), (1e-4), (1e-5), "
      "(123456789.125), (1.7976931348623157e308), (5e-324), (-2.5e-300), ('nan'::DOUBLE), "
      "('inf'::DOUBLE), ('-inf'::DOUBLE)",
      "VALUES (0.0::FLOAT), (1.5::FLOAT), (0.1::FLOAT), (16777216::FLOAT), (3.4028235e38::FLOAT), "
      "(1e-45::FLOAT), (-1234567.0::FLOAT), (1e15::FLOAT), (1e16::FLOAT)",
      "VALUES (-99.9::DECIMAL(3,1)), (0.05::DECIMAL(3,2)), (-0.05::DECIMAL(9,2)), "
      "(5::DECIMAL(4,0)), (-1234567890.123456::DECIMAL(18,6)), (0.000001::DECIMAL(18,6))",
      "VALUES (-12345678901234567890123456789.123456789::DECIMAL(38,9)), "
      "(99999999999999999999999999999999999999::DECIMAL(38,0)), "
      "(-0.00000000000000000000000000000000000001::DECIMAL(38,38))",
      "VALUES ('plain'), (''), ('exactly12chr'), ('thirteen char'), ('ünïcödé 😀 漢字')",
      "VALUES (from_hex('00016162275C22FF7F20')), (''::BLOB), ('a long blob value'::BLOB)",
      "VALUES (DATE '1970-01-01'), (DATE '1969-12-31'), (DATE '1900-02-28'), "
      "(DATE '2000-02-29'), (DATE '0001-01-01'), (DATE '0044-03-15 (BC)'), "
      "(DATE '0001-12-31 (BC)'), (DATE '9999-12-31'), (DATE '12345-06-07'), "
      "('infinity'::DATE), ('-infinity'::DATE)",
      "VALUES (TIME '00:00:00'), (TIME '12:34:56.123'), (TIME '23:59:59.999999'), "
      "(TIME '24:00:00'), (TIME '01:02:03.000010')",
      "VALUES (TIMETZ '12:00:00+05:30'), (TIMETZ '12:00:00.5-05:30:15'), "
      "(TIMETZ '00:00:00+00')",
      "VALUES (TIMESTAMP '1970-01-01 00:00:00'), (TIMESTAMP '1969-12-31 23:59:59.999999'), "
      "(TIMESTAMP '1900-01-01 12:00:00.5'), (TIMESTAMP '0001-01-01 (BC) 10:00:00'), "
      "(TIMESTAMP '2038-01-19 03:14:08'), ('infinity'::TIMESTAMP), ('-infinity'::TIMESTAMP)",
      "VALUES (TIMESTAMP_S '2020-01-01 00:00:01'), (TIMESTAMP_S '1960-05-05 05:05:05')",
      "VALUES (TIMESTAMP_MS '2020-01-01 00:00:01.5'), (TIMESTAMP_MS '1969-12-31 23:59:59.999')",
      "VALUES (TIMESTAMP_NS '2020-01-01 00:00:00.123456789'), "
      "(TIMESTAMP_NS '1969-12-31 23:59:59.999999999')",
      "VALUES (INTERVAL '0 seconds'), (INTERVAL '25 hours'), (INTERVAL '1 month -1 day'), "
      "(INTERVAL '1 year'), (INTERVAL '-1 year'), (INTERVAL '-1 microseconds'), "
      "(INTERVAL '2 years 13 months'), (-INTERVAL '1 year 2 months 3 days 04:05:06.789'), "
      "(INTERVAL '-14 months'), (INTERVAL '1 day 1 second')",
      "VALUES ('6b0f3c50-6d1c-4b7e-9d3e-1234567890ab'::UUID), "
      "('00000000-0000-0000-0000-000000000000'::UUID), "
      "('ffffffff-ffff-ffff-ffff-ffffffffffff'::UUID)",
      "VALUES ('b'::ENUM('a', 'b', 'c')), ('a'::ENUM('a', 'b', 'c'))",
  };
  for (const std::string& list : lists) ExpectTextMatchesDuckDb(conn_, list);
}

TEST_F(DuckDbTest, ToTextMatchesDuckDbOnRandomValues) {
  conn_.Execute("SELECT setseed(0.42)");
  ExpectTextMatchesDuckDb(conn_,
                          "SELECT (random() - 0.5) * pow(10, random() * 60 - 30) FROM range(5000)");
  ExpectTextMatchesDuckDb(conn_,
                          "SELECT ((random() - 0.5) * 2e12)::DECIMAL(18,4) FROM range(2000)");
  ExpectTextMatchesDuckDb(conn_,
                          "SELECT ((random() - 0.5) * 2e20)::DECIMAL(38,12) FROM range(2000)");
  ExpectTextMatchesDuckDb(conn_, "SELECT ((random() - 0.5) * 200)::DECIMAL(5,2) FROM range(2000)");
  ExpectTextMatchesDuckDb(conn_, "SELECT ((random() - 0.5) * 200)::DECIMAL(4,1) FROM range(2000)");
  ExpectTextMatchesDuckDb(conn_,
                          "SELECT make_timestamp(((random() - 0.5) * 4e17)::BIGINT) "
                          "FROM range(3000)");
  ExpectTextMatchesDuckDb(
      conn_, "SELECT (DATE '1970-01-01' + ((random() - 0.5) * 2e6)::INTEGER) FROM range(3000)");
  ExpectTextMatchesDuckDb(conn_,
                          "SELECT to_months(((random() - 0.5) * 100)::INTEGER) + "
                          "to_days(((random() - 0.5) * 100)::INTEGER) + "
                          "to_microseconds(((random() - 0.5) * 1e12)::BIGINT) FROM range(3000)");
}

// FLOAT text is the shortest that reads back exactly. DuckDB prints the same
// except where its fmt 6.1 falls back to the digits of the value widened to
// double (see FormatFloat); check that this is the only difference.
TEST_F(DuckDbTest, FloatTextRoundTripsAndDiffersFromDuckDbOnlyByItsFallback) {
  conn_.Execute("SELECT setseed(0.42)");
  Result result = conn_.Query(
      "SELECT v, v::VARCHAR FROM (SELECT ((random() - 0.5) * pow(10, random() * 20 - 10))::FLOAT "
      "AS v FROM range(20000))");
  int rows = 0;
  int differing = 0;
  while (std::optional<DataChunk> chunk = result.NextChunk()) {
    for (idx_t row = 0; row < chunk->Size(); ++row, ++rows) {
      const float value = chunk->Column(0).Get<float>(row);
      const std::string ours = *chunk->Column(0).ToText(row);
      const std::string theirs(chunk->Column(1).GetString(row));
      ASSERT_EQ(std::strtof(ours.c_str(), nullptr), value) << ours;
      if (ours != theirs) {
        ++differing;
        ASSERT_EQ(theirs, FormatDouble(value)) << "ours: " << ours;
      }
    }
  }
  EXPECT_EQ(rows, 20000);
  EXPECT_LT(differing, rows / 10);
}

TEST_F(DuckDbTest, NestedTypesAreNotRenderedAsText) {
  DuckDbError error = ExpectDuckDbError([&] { conn_.Query("SELECT [1, 2] AS l").ScalarText(); });
  EXPECT_THAT(error.what(), HasSubstr("CAST it to VARCHAR"));
  EXPECT_EQ(conn_.Query("SELECT [1, 2]::VARCHAR").ScalarText(), "[1, 2]");
}

// ---------------------------------------------------------------------------
// Prepared statements

// Binds `value` to an untyped parameter, so the result column has the type
// DuckDB gives the bound value itself.
class Echo {
 public:
  template <typename T>
  Echo(Connection& conn, const T& value)
      : result_(conn.Query("SELECT v, v::VARCHAR FROM (SELECT $1 AS v)", value)),
        chunk_(NextChunk(result_)) {}

  ColumnView Value() const { return chunk_.Column(0); }
  duckdb_type Type() const { return Value().Info().type; }
  template <typename T>
  T Get() const {
    EXPECT_FALSE(Value().IsNull(0));
    return Value().template Get<T>(0);
  }
  // Our rendering must equal DuckDB's cast of the same value.
  void ExpectTextAgrees() const { EXPECT_EQ(Value().ToText(0), chunk_.Column(1).ToText(0)); }

 private:
  static DataChunk NextChunk(Result& result) {
    std::optional<DataChunk> chunk = result.NextChunk();
    if (!chunk) throw std::logic_error("no rows");
    return std::move(*chunk);
  }

  Result result_;
  DataChunk chunk_;  // declared after result_: destroyed first
};

template <typename T>
void ExpectRoundTrip(Connection& conn, const T& value, duckdb_type type) {
  SCOPED_TRACE(::testing::PrintToString(value));
  Echo echo(conn, value);
  EXPECT_EQ(echo.Type(), type);
  EXPECT_EQ(echo.Get<T>(), value);
  echo.ExpectTextAgrees();
}

template <typename T>
void ExpectIntegerLimits(Connection& conn, duckdb_type type) {
  ExpectRoundTrip<T>(conn, std::numeric_limits<T>::min(), type);
  ExpectRoundTrip<T>(conn, std::numeric_limits<T>::max(), type);
  ExpectRoundTrip<T>(conn, T{0}, type);
}

TEST_F(DuckDbTest, PreparedRoundTripsIntegers) {
  ExpectIntegerLimits<int8_t>(conn_, DUCKDB_TYPE_TINYINT);
  ExpectIntegerLimits<int16_t>(conn_, DUCKDB_TYPE_SMALLINT);
  ExpectIntegerLimits<int32_t>(conn_, DUCKDB_TYPE_INTEGER);
  ExpectIntegerLimits<int64_t>(conn_, DUCKDB_TYPE_BIGINT);
  ExpectIntegerLimits<uint8_t>(conn_, DUCKDB_TYPE_UTINYINT);
  ExpectIntegerLimits<uint16_t>(conn_, DUCKDB_TYPE_USMALLINT);
  ExpectIntegerLimits<uint32_t>(conn_, DUCKDB_TYPE_UINTEGER);
  ExpectIntegerLimits<uint64_t>(conn_, DUCKDB_TYPE_UBIGINT);
  // `long long` and `unsigned long long` map by size.
  EXPECT_EQ(Echo(conn_, -5LL).Type(), DUCKDB_TYPE_BIGINT);
  EXPECT_EQ(Echo(conn_, 5ULL).Type(), DUCKDB_TYPE_UBIGINT);
}

TEST_F(DuckDbTest, PreparedRoundTripsHugeints) {
  const Int128 max = static_cast<Int128>(~UInt128{0} >> 1);
  const Int128 min = -max - 1;
  for (Int128 value : {min, max, Int128{0}, Int128{-1}}) {
    Echo echo(conn_, value);
    EXPECT_EQ(echo.Type(), DUCKDB_TYPE_HUGEINT);
    EXPECT_TRUE(echo.Get<Int128>() == value) << FormatInt128(value);
    echo.ExpectTextAgrees();
  }
  EXPECT_EQ(*Echo(conn_, min).Value().ToText(0), "-170141183460469231731687303715884105728");
  const UInt128 umax = ~UInt128{0};
  Echo echo(conn_, umax);
  EXPECT_EQ(echo.Type(), DUCKDB_TYPE_UHUGEINT);
  EXPECT_TRUE(echo.Get<UInt128>() == umax);
  EXPECT_EQ(*echo.Value().ToText(0), "340282366920938463463374607431768211455");
}

TEST_F(DuckDbTest, PreparedRoundTripsFloatingPoint) {
  for (float value : {std::numeric_limits<float>::lowest(), std::numeric_limits<float>::max(),
                      std::numeric_limits<float>::denorm_min(), 0.1f, -0.0f}) {
    Echo echo(conn_, value);
    EXPECT_EQ(echo.Type(), DUCKDB_TYPE_FLOAT);
    EXPECT_EQ(std::bit_cast<uint32_t>(echo.Get<float>()), std::bit_cast<uint32_t>(value));
  }
  for (double value : {std::numeric_limits<double>::lowest(), std::numeric_limits<double>::max(),
                       std::numeric_limits<double>::denorm_min(), 0.1, -0.0, 1e300}) {
    Echo echo(conn_, value);
    EXPECT_EQ(echo.Type(), DUCKDB_TYPE_DOUBLE);
    EXPECT_EQ(std::bit_cast<uint64_t>(echo.Get<double>()), std::bit_cast<uint64_t>(value));
  }
  EXPECT_TRUE(std::isnan(Echo(conn_, std::nan("")).Get<double>()));
  EXPECT_TRUE(std::isinf(Echo(conn_, -std::numeric_limits<double>::infinity()).Get<double>()));
}

TEST_F(DuckDbTest, PreparedRoundTripsBoolAndNull) {
  ExpectRoundTrip(conn_, true, DUCKDB_TYPE_BOOLEAN);
  ExpectRoundTrip(conn_, false, DUCKDB_TYPE_BOOLEAN);
  EXPECT_TRUE(Echo(conn_, kNull).Value().IsNull(0));
  EXPECT_TRUE(Echo(conn_, std::nullopt).Value().IsNull(0));
  EXPECT_TRUE(Echo(conn_, std::optional<int32_t>()).Value().IsNull(0));
  ExpectRoundTrip<int32_t>(conn_, *std::optional<int32_t>(9), DUCKDB_TYPE_INTEGER);
  EXPECT_EQ(Echo(conn_, std::optional<int32_t>(9)).Get<int32_t>(), 9);
  // A typed NULL parameter keeps its declared type.
  Result typed = conn_.Query("SELECT $1::DATE", kNull);
  EXPECT_EQ(typed.ColumnType(0), DUCKDB_TYPE_DATE);
  EXPECT_EQ(typed.ScalarText(), std::nullopt);
}

TEST_F(DuckDbTest, PreparedRoundTripsStrings) {
  const std::vector<std::string> values = {
      "",
      "short",
      "exactly12chr",                                       // longest inlined duckdb_string_t
      "thirteen char",                                      // shortest pointer duckdb_string_t
      "embedded\0NUL byte"s,                                // any bytes, not C strings
      "4-byte UTF-8: \xF0\x9F\x98\x80 / \xF0\x9D\x84\x9E",  // 😀 𝄞
      std::string(100'000, 'x'),
  };
  for (const std::string& value : values) {
    Echo echo(conn_, value);
    EXPECT_EQ(echo.Type(), DUCKDB_TYPE_VARCHAR);
    EXPECT_EQ(echo.Value().GetString(0), value);
    EXPECT_EQ(echo.Value().ToText(0), value);
  }
  // std::string_view, const char* and string literals bind as VARCHAR, never bool.
  EXPECT_EQ(Echo(conn_, std::string_view("view")).Value().GetString(0), "view");
  const char* pointer = "pointer";
  EXPECT_EQ(Echo(conn_, pointer).Value().GetString(0), "pointer");
  EXPECT_EQ(Echo(conn_, "literal").Value().GetString(0), "literal");

  DuckDbError invalid = ExpectDuckDbError([&] { Echo(conn_, std::string_view("\xFF\xFE")); });
  EXPECT_THAT(invalid.what(), HasSubstr("UTF-8"));
}

TEST_F(DuckDbTest, PreparedRoundTripsBlobs) {
  std::string every_byte;
  for (int b = 0; b < 256; ++b) every_byte.push_back(static_cast<char>(b));
  for (const std::string& bytes : {std::string(), every_byte, "\xFF\xFE"s}) {
    Echo echo(conn_, Blob{bytes});
    EXPECT_EQ(echo.Type(), DUCKDB_TYPE_BLOB);
    EXPECT_EQ(echo.Value().GetString(0), bytes);
    echo.ExpectTextAgrees();
  }
  EXPECT_EQ(*Echo(conn_, Blob{"a\0'\\"s}).Value().ToText(0), "a\\x00\\x27\\x5C");
}

TEST_F(DuckDbTest, PreparedRoundTripsDatesAndTimes) {
  for (int32_t days : {0, -1, -25'567 /* 1900-01-01 */, 11'016 /* 2000-02-29 */,
                       -719'528 /* 0001-01-01 (BC) */, 2'932'896 /* 9999-12-31 */}) {
    ExpectRoundTrip(conn_, Date{days}, DUCKDB_TYPE_DATE);
  }
  EXPECT_EQ(*Echo(conn_, Date{-1}).Value().ToText(0), "1969-12-31");
  EXPECT_EQ(*Echo(conn_, Date{-719'528}).Value().ToText(0), "0001-01-01 (BC)");

  for (int64_t micros : {int64_t{0}, int64_t{1}, int64_t{45'296'123'456}, int64_t{86'399'999'999},
                         int64_t{86'400'000'000}}) {
    ExpectRoundTrip(conn_, Time{micros}, DUCKDB_TYPE_TIME);
  }
  EXPECT_EQ(*Echo(conn_, Time{45'296'123'400}).Value().ToText(0), "12:34:56.1234");

  // Before the epoch, including the microsecond just before it and BC.
  for (int64_t micros :
       {int64_t{0}, int64_t{-1}, int64_t{-2'208'988'800'000'000}, int64_t{-62'198'755'200'000'000},
        int64_t{-86'400'000'001}, int64_t{4'102'444'800'000'000}}) {
    ExpectRoundTrip(conn_, Timestamp{micros}, DUCKDB_TYPE_TIMESTAMP);
  }
  EXPECT_EQ(*Echo(conn_, Timestamp{-1}).Value().ToText(0), "1969-12-31 23:59:59.999999");
  EXPECT_EQ(*Echo(conn_, Timestamp{-2'208'988'800'000'000}).Value().ToText(0),
            "1900-01-01 00:00:00");
}

TEST_F(DuckDbTest, PreparedRoundTripsIntervals) {
  for (const Interval& value : {Interval{0, 0, 0}, Interval{-1, -2, -3}, Interval{14, -3, 1},
                                Interval{0, 0, -90'061'000'001}, Interval{-25, 400, 5'000'000},
                                Interval{std::numeric_limits<int32_t>::min() + 1, 0, 0}}) {
    SCOPED_TRACE(FormatInterval(value));
    ExpectRoundTrip(conn_, value, DUCKDB_TYPE_INTERVAL);
  }
  EXPECT_EQ(*Echo(conn_, Interval{-14, -3, -14'706'789'000}).Value().ToText(0),
            "-1 year -2 months -3 days -04:05:06.789");
  // Intervals bind and compute in memory even though Parquet cannot store
  // negative ones.
  EXPECT_EQ(conn_.Query("SELECT TIMESTAMP '2000-03-01' + $1", Interval{0, -1, 0}).ScalarText(),
            "2000-02-29 00:00:00");
}

TEST_F(DuckDbTest, PreparedRoundTripsDecimals) {
  const Int128 max38 = static_cast<Int128>(UInt128{10'000'000'000'000'000'000u} *
                                           UInt128{10'000'000'000'000'000'000u}) -
                       1;  // 10^38 - 1
  const std::vector<std::pair<Decimal, std::string>> cases = {
      {Decimal{4, 1, -9'999}, "-999.9"},
      {Decimal{9, 2, -5}, "-0.05"},
      {Decimal{18, 3, -12'345'678}, "-12345.678"},
      {Decimal{18, 0, 999'999'999'999'999'999}, "999999999999999999"},
      {Decimal{38, 10, -max38}, "-9999999999999999999999999999.9999999999"},
      {Decimal{38, 38, 1}, ".00000000000000000000000000000000000001"},
      {Decimal{2, 2, -5}, "-.05"},
      {Decimal{38, 0, max38}, "99999999999999999999999999999999999999"},
  };
  for (const auto& [value, text] : cases) {
    SCOPED_TRACE(text);
    Echo echo(conn_, value);
    EXPECT_EQ(echo.Type(), DUCKDB_TYPE_DECIMAL);
    EXPECT_EQ(echo.Value().Info().decimal_width, value.width);
    EXPECT_EQ(echo.Value().Info().decimal_scale, value.scale);
    EXPECT_TRUE(echo.Value().GetDecimal(0) == value);
    EXPECT_EQ(echo.Value().ToText(0), text);
    echo.ExpectTextAgrees();
  }
  // A decimal can also be bound as text and cast in SQL.
  EXPECT_EQ(conn_.Query("SELECT $1::DECIMAL(20,4)", "-1234.5678").ScalarText(), "-1234.5678");

  EXPECT_EQ(ExpectDuckDbError([&] {
              Echo(conn_, Decimal{2, 0, 100});
            }).Type(),
            DUCKDB_ERROR_DECIMAL);
  EXPECT_EQ(ExpectDuckDbError([&] {
              Echo(conn_, Decimal{39, 0, 1});
            }).Type(),
            DUCKDB_ERROR_DECIMAL);
  EXPECT_EQ(ExpectDuckDbError([&] { Echo(conn_, Decimal{4, 5, 1}); }).Type(), DUCKDB_ERROR_DECIMAL);
}

TEST_F(DuckDbTest, PreparedStatementBindsByIndexAndReexecutes) {
  PreparedStatement statement = conn_.Prepare("SELECT $1::INTEGER * $2::INTEGER");
  EXPECT_EQ(statement.ParameterCount(), 2u);
  statement.Bind(1, 6);
  statement.Bind(2, 7);
  EXPECT_EQ(statement.Execute().ScalarInt64(), 42);
  statement.Bind(2, 8);  // the other binding is kept
  EXPECT_EQ(statement.Execute().ScalarInt64(), 48);
  EXPECT_EQ(statement.Execute(3, 3).ScalarInt64(), 9);
  statement.BindAll(2, 5);
  EXPECT_EQ(statement.Execute().ScalarInt64(), 10);

  statement.ClearBindings();
  DuckDbError error = ExpectDuckDbError([&] { statement.Execute(); });
  EXPECT_THAT(error.what(), HasSubstr("Values were not provided"));

  EXPECT_EQ(conn_.Query("SELECT ? || ?", "ab", std::string("cd")).ScalarText(), "abcd");
  EXPECT_EQ(conn_.Prepare("SELECT 1").ParameterCount(), 0u);
}

TEST_F(DuckDbTest, BindIndexOutOfRangeFailsAndKeepsTheStatementUsable) {
  PreparedStatement statement = conn_.Prepare("SELECT $1::INTEGER + 1");
  DuckDbError high = ExpectDuckDbError([&] { statement.Bind(2, 1); });
  EXPECT_EQ(high.Type(), DUCKDB_ERROR_INVALID_INPUT);
  EXPECT_THAT(high.what(),
              HasSubstr("Can not bind to parameter number 2, statement only has 1 parameter(s)"));
  EXPECT_THAT(ExpectDuckDbError([&] { statement.Bind(0, 1); }).what(),
              HasSubstr("parameter number 0"));
  EXPECT_THAT(ExpectDuckDbError([&] { statement.Execute(1, 2); }).what(),
              HasSubstr("1 parameter(s) but 2 value(s)"));
  statement.Bind(1, 41);
  EXPECT_EQ(statement.Execute().ScalarInt64(), 42);
}

TEST_F(DuckDbTest, BindTypeMismatchFailsAtExecute) {
  PreparedStatement statement = conn_.Prepare("SELECT $1::INTEGER");
  statement.Bind(1, "not a number");
  DuckDbError error = ExpectDuckDbError([&] { statement.Execute(); });
  EXPECT_EQ(error.Type(), DUCKDB_ERROR_CONVERSION);
  EXPECT_THAT(error.what(), HasSubstr("not a number"));
  EXPECT_EQ(ExpectDuckDbError([&] { conn_.Query("SELECT $1::TINYINT", 1000); }).Type(),
            DUCKDB_ERROR_CONVERSION);
}

TEST_F(DuckDbTest, PrepareFailureCarriesDuckDbMessage) {
  EXPECT_THAT(ExpectDuckDbError([&] { conn_.Prepare("SELEC ?"); }).what(),
              HasSubstr("syntax error"));
  EXPECT_THAT(ExpectDuckDbError([&] { conn_.Prepare("SELECT * FROM missing WHERE x = ?"); }).what(),
              HasSubstr("missing"));
}

// ---------------------------------------------------------------------------
// Appender

TEST_F(DuckDbTest, AppenderBulkInsertThenAggregate) {
  constexpr int64_t kRows = 100'000;
  conn_.Execute(
      "CREATE TABLE orders(id BIGINT, customer VARCHAR, amount DECIMAL(18,2), placed TIMESTAMP, "
      "paid BOOLEAN, note VARCHAR)");
  constexpr int64_t kBase = 1'700'000'000'000'000;  // 2023-11-14 22:13:20
  Appender appender(conn_, "orders");
  EXPECT_EQ(appender.ColumnCount(), 6u);
  for (int64_t i = 0; i < kRows; ++i) {
    appender.AppendRow(i, "customer-" + std::to_string(i % 1000), Decimal{18, 2, i * 7 - 300'000},
                       Timestamp{kBase + i * 1'000'000}, i % 2 == 0,
                       i % 10 == 0 ? std::optional<std::string>() : std::optional("n"s));
  }
  appender.Close();
  appender.Close();  // idempotent

  auto row = conn_
                 .Query(
                     "SELECT count(*), sum(id), sum(amount), count(DISTINCT customer), "
                     "min(placed), max(placed), count(*) FILTER (WHERE paid), count(note) "
                     "FROM orders")
                 .FetchAllAsText();
  ASSERT_EQ(row.size(), 1u);
  // sum(i * 7 - 300000) / 100 = (7 * 4'999'950'000 - 30'000'000'000) / 100
  using Row = std::vector<std::optional<std::string>>;
  EXPECT_EQ(row[0], (Row{"100000", "4999950000", "49996500.00", "1000", "2023-11-14 22:13:20",
                         "2023-11-16 01:59:59", "50000", "90000"}));
}

TEST_F(DuckDbTest, AppenderAppendsEveryType) {
  conn_.Execute(
      "CREATE TABLE every(b BOOLEAN, i8 TINYINT, i16 SMALLINT, i32 INTEGER, i64 BIGINT, "
      "u8 UTINYINT, u16 USMALLINT, u32 UINTEGER, u64 UBIGINT, h HUGEINT, uh UHUGEINT, "
      "f FLOAT, d DOUBLE, s VARCHAR, bl BLOB, dt DATE, t TIME, ts TIMESTAMP, iv INTERVAL, "
      "dec DECIMAL(38,6))");
  const Int128 hugeint_min = -static_cast<Int128>(~UInt128{0} >> 1) - 1;
  const Decimal decimal{38, 6, -123'456'789'012'345};
  {
    Appender appender(conn_, "main", "every");
    appender.AppendRow(true, std::numeric_limits<int8_t>::min(),
                       std::numeric_limits<int16_t>::max(), std::numeric_limits<int32_t>::min(),
                       std::numeric_limits<int64_t>::min(), std::numeric_limits<uint8_t>::max(),
                       std::numeric_limits<uint16_t>::max(), std::numeric_limits<uint32_t>::max(),
                       std::numeric_limits<uint64_t>::max(), hugeint_min, ~UInt128{0}, 1.5f, -2.25,
                       "nul\0and 😀"s, Blob{"\x00\xFF"s}, Date{-1}, Time{1}, Timestamp{-1},
                       Interval{-1, -2, -3}, decimal);
    for (idx_t column = 0; column < appender.ColumnCount(); ++column) appender.Append(kNull);
    appender.EndRow();
  }  // the destructor flushes

  Result result = conn_.Query("SELECT * FROM every");
  std::optional<DataChunk> chunk = result.NextChunk();
  ASSERT_TRUE(chunk.has_value());
  ASSERT_EQ(chunk->Size(), 2u);
  EXPECT_EQ(chunk->Column(0).Get<bool>(0), true);
  EXPECT_EQ(chunk->Column(1).Get<int8_t>(0), std::numeric_limits<int8_t>::min());
  EXPECT_EQ(chunk->Column(2).Get<int16_t>(0), std::numeric_limits<int16_t>::max());
  EXPECT_EQ(chunk->Column(3).Get<int32_t>(0), std::numeric_limits<int32_t>::min());
  EXPECT_EQ(chunk->Column(4).Get<int64_t>(0), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(chunk->Column(5).Get<uint8_t>(0), std::numeric_limits<uint8_t>::max());
  EXPECT_EQ(chunk->Column(6).Get<uint16_t>(0), std::numeric_limits<uint16_t>::max());
  EXPECT_EQ(chunk->Column(7).Get<uint32_t>(0), std::numeric_limits<uint32_t>::max());
  EXPECT_EQ(chunk->Column(8).Get<uint64_t>(0), std::numeric_limits<uint64_t>::max());
  EXPECT_TRUE(chunk->Column(9).Get<Int128>(0) == hugeint_min);
  EXPECT_TRUE(chunk->Column(10).Get<UInt128>(0) == ~UInt128{0});
  EXPECT_EQ(chunk->Column(11).Get<float>(0), 1.5f);
  EXPECT_EQ(chunk->Column(12).Get<double>(0), -2.25);
  EXPECT_EQ(chunk->Column(13).GetString(0), "nul\0and 😀"s);
  EXPECT_EQ(chunk->Column(14).GetString(0), "\x00\xFF"s);
  EXPECT_EQ(chunk->Column(15).Get<Date>(0), Date{-1});
  EXPECT_EQ(chunk->Column(16).Get<Time>(0), Time{1});
  EXPECT_EQ(chunk->Column(17).Get<Timestamp>(0), Timestamp{-1});
  EXPECT_EQ(chunk->Column(18).Get<Interval>(0), (Interval{-1, -2, -3}));
  EXPECT_TRUE(chunk->Column(19).GetDecimal(0) == decimal);
  EXPECT_EQ(chunk->Column(19).ToText(0), "-123456789.012345");
  for (idx_t column = 0; column < chunk->ColumnCount(); ++column) {
    EXPECT_FALSE(chunk->Column(column).IsNull(0)) << column;
    EXPECT_TRUE(chunk->Column(column).IsNull(1)) << column;
    EXPECT_EQ(chunk->Column(column).ToText(1), std::nullopt);
  }
}

TEST_F(DuckDbTest, AppenderConstraintViolationSurfacesWithDuckDbMessage) {
  conn_.Execute("CREATE TABLE keyed(id INTEGER PRIMARY KEY, name VARCHAR NOT NULL)");
  Appender appender(conn_, "keyed");
  appender.AppendRow(1, "one");
  appender.AppendRow(1, "again");
  DuckDbError error = ExpectDuckDbError([&] { appender.Close(); });
  EXPECT_EQ(error.Type(), DUCKDB_ERROR_CONSTRAINT);
  EXPECT_THAT(error.what(), HasSubstr("keyed"));
  EXPECT_THAT(error.what(), HasSubstr("PRIMARY KEY or UNIQUE constraint violation"));
  // The appender is now invalid: every call repeats the error.
  EXPECT_THAT(ExpectDuckDbError([&] { appender.AppendRow(2, "two"); }).what(),
              HasSubstr("constraint violation"));
  EXPECT_EQ(conn_.Query("SELECT count(*) FROM keyed").ScalarInt64(), 0);

  Appender not_null(conn_, "keyed");
  not_null.AppendRow(3, kNull);
  DuckDbError null_error = ExpectDuckDbError([&] { not_null.Flush(); });
  EXPECT_EQ(null_error.Type(), DUCKDB_ERROR_CONSTRAINT);
  EXPECT_THAT(null_error.what(), HasSubstr("NOT NULL constraint failed"));
}

TEST_F(DuckDbTest, AppenderUsageErrorsCarryDuckDbMessage) {
  EXPECT_THAT(ExpectDuckDbError([&] { Appender appender(conn_, "no_such_table"); }).what(),
              HasSubstr("no_such_table"));
  conn_.Execute("CREATE TABLE pair(a INTEGER, b INTEGER)");
  {
    Appender appender(conn_, "pair");
    appender.Append(1);
    EXPECT_THAT(ExpectDuckDbError([&] { appender.EndRow(); }).what(),
                HasSubstr("before all columns have been appended"));
  }
  {
    Appender appender(conn_, "pair");
    DuckDbError error = ExpectDuckDbError([&] { appender.AppendRow("abc", 1); });
    EXPECT_THAT(error.what(), HasSubstr("Could not convert string 'abc'"));
  }
  {
    Appender appender(conn_, "pair");
    EXPECT_THAT(ExpectDuckDbError([&] { appender.AppendRow(1, 2, 3); }).what(),
                HasSubstr("Too many appends"));
  }
  Appender closed(conn_, "pair");
  closed.Close();
  EXPECT_THROW(closed.Append(1), std::logic_error);
}

TEST_F(DuckDbTest, AppenderMovesAndDestructorFlushes) {
  conn_.Execute("CREATE SCHEMA staging; CREATE TABLE staging.items(x INTEGER)");
  {
    Appender first(conn_, "staging", "items");
    first.AppendRow(1);
    Appender second = std::move(first);
    second.AppendRow(2);
    EXPECT_THROW(first.AppendRow(3), std::logic_error);  // NOLINT(bugprone-use-after-move)
  }
  EXPECT_EQ(conn_.Query("SELECT sum(x) FROM staging.items").ScalarInt64(), 3);
}

// ---------------------------------------------------------------------------
// Parquet

TEST_F(DuckDbTest, WritesAndReadsZstdParquet) {
  testing::TempDir dir("duckdb-parquet");
  const std::string path = (dir.path() / "orders.parquet").string();
  conn_.Execute(
      "COPY (SELECT i AS id, 'name-' || i AS name, (i * 1.25)::DECIMAL(18,2) AS amount, "
      "TIMESTAMP '1969-12-31 00:00:00' + to_seconds(i) AS placed FROM range(100000) t(i)) TO " +
      SqlString(path) + " (FORMAT parquet, COMPRESSION zstd)");
  ASSERT_TRUE(std::filesystem::exists(path));
  EXPECT_GT(std::filesystem::file_size(path), 0u);

  auto row = conn_
                 .Query("SELECT count(*), sum(id), sum(amount), min(placed), max(name) FROM " +
                        SqlString(path))
                 .FetchAllAsText();
  using Row = std::vector<std::optional<std::string>>;
  ASSERT_EQ(row.size(), 1u);
  EXPECT_EQ(row[0],
            (Row{"100000", "4999950000", "6249937500.00", "1969-12-31 00:00:00", "name-99999"}));
  EXPECT_EQ(conn_
                .Query("SELECT string_agg(DISTINCT compression, ',') FROM parquet_metadata(" +
                       SqlString(path) + ")")
                .ScalarText(),
            "ZSTD");
  // The amount column keeps its exact decimal type through the file.
  EXPECT_EQ(conn_.Query("SELECT amount FROM " + SqlString(path) + " WHERE id = 3").ScalarText(),
            "3.75");
}

// ---------------------------------------------------------------------------
// Interrupt

TEST_F(DuckDbTest, InterruptFromAnotherThreadStopsALongQuery) {
  std::atomic<bool> finished = false;
  std::optional<DuckDbError> error;
  const auto start = std::chrono::steady_clock::now();
  std::thread runner([&] {
    try {
      // Hours of work if nothing stops it.
      conn_.Query("SELECT sum(i * i % 7) FROM range(1000000000000) t(i)");
    } catch (const DuckDbError& e) {
      error = e;
    }
    finished = true;
  });
  // Repeat: an interrupt that lands before the query starts is forgotten.
  while (!finished) {
    conn_.Interrupt();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  runner.join();
  const auto elapsed = std::chrono::steady_clock::now() - start;

  ASSERT_TRUE(error.has_value()) << "the query was not interrupted";
  EXPECT_TRUE(error->IsInterrupt());
  EXPECT_THAT(error->what(), HasSubstr("Interrupted"));
  EXPECT_LT(elapsed, std::chrono::seconds(30));
  EXPECT_EQ(conn_.Query("SELECT 1").ScalarInt64(), 1);  // still usable
}

// ---------------------------------------------------------------------------
// ExtractStatements, StatementType, ExecuteStreaming

TEST_F(DuckDbTest, ExtractStatementsSplitsWithDuckDbsParser) {
  EXPECT_EQ(conn_.ExtractStatements("SELECT 1; SELECT ';'; -- SELECT 3").Count(), 2u);
  EXPECT_EQ(conn_.ExtractStatements("/* only */ -- comments").Count(), 0u);
  EXPECT_THROW(conn_.ExtractStatements("SELEC 1"), DuckDbError);

  const ExtractedStatements statements =
      conn_.ExtractStatements("CREATE TABLE t (a INT); SELECT 42");
  EXPECT_EQ(statements.Prepare(0).StatementType(), DUCKDB_STATEMENT_TYPE_CREATE);
  EXPECT_THROW(statements.Prepare(2), std::out_of_range);
  // Preparing binds but runs nothing: the table does not exist afterwards.
  EXPECT_THROW(conn_.Query("SELECT * FROM t"), DuckDbError);
  PreparedStatement select = statements.Prepare(1);
  EXPECT_EQ(select.StatementType(), DUCKDB_STATEMENT_TYPE_SELECT);
  EXPECT_EQ(select.Execute().ScalarInt64(), 42);
}

TEST_F(DuckDbTest, PreparedStatementKnowsItsColumnsBeforeExecuting) {
  const PreparedStatement statement =
      conn_.Prepare("SELECT 1::DECIMAL(9,2) AS price, [1, 2] AS list, 'x' AS \"weird name\"");
  const auto columns = statement.ResultColumns();
  ASSERT_EQ(columns.size(), 3u);
  EXPECT_EQ(columns[0].name, "price");
  EXPECT_EQ(columns[0].type_name, "DECIMAL(9,2)");
  EXPECT_EQ(columns[1].type_name, "INTEGER[]");
  EXPECT_FALSE(ColumnView::HasTextRendering(columns[1].type));
  EXPECT_TRUE(ColumnView::HasTextRendering(columns[0].type));
  EXPECT_EQ(columns[2].name, "weird name");
}

TEST_F(DuckDbTest, StreamingResultComputesOnlyWhatIsFetched) {
  // 10^12 rows: materializing would never finish.
  PreparedStatement statement = conn_.Prepare("SELECT range FROM range(1000000000000)");
  Result result = statement.ExecuteStreaming();
  std::optional<DataChunk> chunk = result.NextChunk();
  ASSERT_TRUE(chunk.has_value());
  EXPECT_EQ(chunk->Column(0).Get<int64_t>(0), 0);
}

TEST_F(DuckDbTest, StreamingResultReportsErrorsFromNextChunk) {
  // The query fails after its first chunk was delivered: the failure must
  // come out of NextChunk, not look like the end of the rows.
  PreparedStatement statement = conn_.Prepare("SELECT range FROM range(1000000000000)");
  Result result = statement.ExecuteStreaming();
  ASSERT_TRUE(result.NextChunk().has_value());
  conn_.Interrupt();
  try {
    while (result.NextChunk()) {
    }
    FAIL() << "the interrupted stream ended as if complete";
  } catch (const DuckDbError& e) {
    EXPECT_TRUE(e.IsInterrupt()) << e.what();
  }
}

// ---------------------------------------------------------------------------
// Text formatting (pure functions)

TEST(DuckDbTextTest, FormatsDecimalsExactly) {
  EXPECT_EQ(FormatDecimal({4, 2, 5}), "0.05");
  EXPECT_EQ(FormatDecimal({4, 2, -5}), "-0.05");
  EXPECT_EQ(FormatDecimal({4, 2, 0}), "0.00");
  EXPECT_EQ(FormatDecimal({4, 0, -42}), "-42");
  EXPECT_EQ(FormatDecimal({2, 2, -5}), "-.05");  // DECIMAL(w,w), as DuckDB prints it
  EXPECT_EQ(FormatDecimal({10, 3, 1'234'567}), "1234.567");
}

TEST(DuckDbTextTest, FormatsFloatingPointLikeDuckDb) {
  EXPECT_EQ(FormatDouble(1.0), "1.0");
  EXPECT_EQ(FormatDouble(1e20), "1e+20");
  EXPECT_EQ(FormatDouble(1e15), "1000000000000000.0");
  EXPECT_EQ(FormatDouble(1e16), "1e+16");
  EXPECT_EQ(FormatDouble(1e-7), "1e-07");
  EXPECT_EQ(FormatDouble(0.0001), "0.0001");
  EXPECT_EQ(FormatDouble(-2.5), "-2.5");
  EXPECT_EQ(FormatDouble(std::nan("")), "nan");
  EXPECT_EQ(FormatDouble(-std::numeric_limits<double>::infinity()), "-inf");
  EXPECT_EQ(FormatFloat(0.1f), "0.1");
  EXPECT_EQ(FormatFloat(16777216.0f), "16777216.0");
}

TEST(DuckDbTextTest, FormatsDatesTimesAndIntervals) {
  EXPECT_EQ(FormatDate(Date{0}), "1970-01-01");
  EXPECT_EQ(FormatDate(Date{-1}), "1969-12-31");
  EXPECT_EQ(FormatDate(Date{-719'528}), "0001-01-01 (BC)");  // year 0 is 1 BC
  EXPECT_EQ(FormatDate(Date{-719'893}), "0002-01-01 (BC)");
  EXPECT_EQ(FormatDate(Date{std::numeric_limits<int32_t>::max()}), "infinity");
  EXPECT_EQ(FormatTime(Time{0}), "00:00:00");
  EXPECT_EQ(FormatTime(Time{1}), "00:00:00.000001");
  EXPECT_EQ(FormatTimestamp(Timestamp{-1}), "1969-12-31 23:59:59.999999");
  EXPECT_EQ(FormatTimestampNanos(-1), "1969-12-31 23:59:59.999999999");
  EXPECT_EQ(FormatTimeWithOffset(Time{0}, -19'800), "00:00:00-05:30");
  EXPECT_EQ(FormatInterval({}), "00:00:00");
  EXPECT_EQ(FormatInterval({-1, -2, -3}), "-1 month -2 days -00:00:00.000003");
  EXPECT_EQ(FormatInterval({25, 1, 0}), "2 years 1 month 1 day");
  EXPECT_EQ(FormatInterval({0, 0, std::numeric_limits<int64_t>::min()}),
            "-2562047788:00:54.775808");
}

TEST(DuckDbTextTest, FormatsBlobsAndUuids) {
  EXPECT_EQ(FormatBlob("ab\n\"'\\~\x7F"), "ab\\x0A\\x22\\x27\\x5C~\\x7F");
  EXPECT_EQ(FormatUuid(static_cast<Int128>(UInt128{1} << 127)),
            "00000000-0000-0000-0000-000000000000");
}

}  // namespace
}  // namespace futureim::engine
