// `futureim generate` end to end: determinism, the CSV target, live trading
// (rate, the mix of inserts/updates/deletes, consistency, a clean stop on
// SIGTERM) and a clear error for each bad input.

#include <chrono>
#include <cmath>
#include <fstream>
#include <iterator>
#include <regex>
#include <set>
#include <thread>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "generate/store_schema.h"
#include "generate_fixture.h"
#include "store_invariants.h"

namespace futureim {
namespace {

using testing::QueryInt;
using testing::RunGenerate;

class GenerateCliTest : public testing::PrivateMariadbSuite {
 protected:
  void SetUp() override {
    PrivateMariadbSuite::SetUp();
    if (HasFatalFailure()) return;
    store_ = Server().StoreUser();
    target_ = testing::StoreUri(store_);
    env_ = {{"FUTUREIM_TARGET_PASSWORD", store_.password}};
  }
  testing::ProcessResult Generate(std::vector<std::string> args) { return RunGenerate(args, env_); }
  source::MysqlConnection Connect() { return testing::ConnectUtc(store_); }
  // A digest of every row of every table, in primary-key order.
  std::vector<uint64_t> TableDigests() {
    auto connection = Connect();
    std::vector<uint64_t> digests;
    for (auto table : generate::StoreTableNames()) {
      std::string key = std::string(table);
      if (key == "categories") {
        key = "category_id";
      } else if (key == "inventory") {
        key = "inventory_id";
      } else {
        key = key.substr(0, key.size() - 1) + "_id";
      }
      uint64_t hash = 1469598103934665603ULL;
      for (const auto& row :
           connection.Query("SELECT * FROM " + std::string(table) + " ORDER BY " + key)) {
        for (const auto& value : row) {
          for (char c : value.value_or("\x01"))
            hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
          hash = (hash ^ 0xff) * 1099511628211ULL;
        }
      }
      digests.push_back(hash);
    }
    return digests;
  }

  source::SourceEndpoint store_;
  std::string target_;
  std::map<std::string, std::string> env_;
};

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST_F(GenerateCliTest, SameSeedGivesIdenticalTablesAndADifferentSeedDoesNot) {
  testing::TempDir dir("futureim-determinism");
  const std::vector<std::string> common = {"--scale",  "0.2",   "--as-of",  "2026-01-10",
                                           "--target", target_, "--replace"};
  auto run = [&](const std::string& seed, const std::string& truth) {
    auto args = common;
    args.insert(args.end(), {"--seed", seed, "--truth", (dir.path() / truth).string()});
    auto result = Generate(args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return TableDigests();
  };
  const auto first = run("5", "truth-a");
  const auto again = run("5", "truth-b");
  const auto other = run("6", "truth-c");
  EXPECT_EQ(first, again);
  for (size_t t = 0; t < first.size(); ++t) {
    EXPECT_NE(first[t], other[t]) << generate::StoreTableNames()[t];
  }
  // The ground truth is byte-identical too, and records its parameters.
  for (const char* file : {"parameters.json", "customers.csv", "fraud.csv", "bundles.csv",
                           "categories.csv", "price_changes.csv"}) {
    EXPECT_EQ(ReadFile(dir.path() / "truth-a" / file), ReadFile(dir.path() / "truth-b" / file))
        << file;
  }
  const auto parameters = testing::ReadJson(dir.path() / "truth-a" / "parameters.json");
  EXPECT_EQ(parameters["seed"], 5);
  EXPECT_EQ(parameters["as_of"], "2026-01-10");
  EXPECT_EQ(parameters["scale"], 0.2);
}

TEST_F(GenerateCliTest, CsvTargetWritesTheSameStoreAsFilesDeterministically) {
  testing::TempDir dir("futureim-csv");
  auto run = [&](const std::string& name) {
    return Generate({"--scale", "0.1", "--seed", "9", "--as-of", "2026-01-10", "--target",
                     "csv:" + (dir.path() / name / "store").string()});
  };
  auto a = run("a");
  ASSERT_EQ(a.exit_code, 0) << a.err;
  auto b = run("b");
  ASSERT_EQ(b.exit_code, 0) << b.err;
  for (auto table : generate::StoreTableNames()) {
    const std::string file = std::string(table) + ".csv";
    const std::string content = ReadFile(dir.path() / "a" / "store" / file);
    EXPECT_GT(std::count(content.begin(), content.end(), '\n'), 1) << file;
    EXPECT_EQ(content, ReadFile(dir.path() / "b" / "store" / file)) << file;
  }
  // Default truth folder: beside the CSV folder.
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "a" / "truth" / "fraud.csv"));
  // An existing store is refused without --replace, overwritten with it.
  auto again = run("a");
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("--replace"), std::string::npos) << again.err;
  auto replaced = Generate({"--scale", "0.1", "--seed", "9", "--as-of", "2026-01-10", "--replace",
                            "--target", "csv:" + (dir.path() / "a" / "store").string()});
  EXPECT_EQ(replaced.exit_code, 0) << replaced.err;
}

TEST_F(GenerateCliTest, BadInputGetsAClearErrorAndExitCode1) {
  for (const char* scale : {"0", "-1", "nan", "inf", "1e9", "abc", ""}) {
    auto result = Generate({"--scale", scale, "--target", target_});
    EXPECT_EQ(result.exit_code, 1) << scale;
    EXPECT_NE(result.err.find("scale"), std::string::npos) << scale << ": " << result.err;
  }
  auto as_of = Generate({"--as-of", "2025-02-30", "--target", target_});
  EXPECT_EQ(as_of.exit_code, 1);
  EXPECT_NE(as_of.err.find("--as-of"), std::string::npos) << as_of.err;

  auto unreachable =
      Generate({"--scale", "0.1", "--target", "mysql://store_app@127.0.0.1:1/ecommerce"});
  EXPECT_EQ(unreachable.exit_code, 1);
  EXPECT_NE(unreachable.err.find("cannot reach the MySQL/MariaDB server at 127.0.0.1:1"),
            std::string::npos)
      << unreachable.err;

  auto denied =
      RunGenerate({"--scale", "0.1", "--target", target_}, {{"FUTUREIM_TARGET_PASSWORD", "wrong"}});
  EXPECT_EQ(denied.exit_code, 1);
  EXPECT_NE(denied.err.find("access denied"), std::string::npos) << denied.err;
  EXPECT_EQ(denied.err.find(store_.password), std::string::npos);

  auto no_database =
      Generate({"--target", "mysql://store_app@127.0.0.1:" + std::to_string(store_.port)});
  EXPECT_EQ(no_database.exit_code, 1);
  EXPECT_NE(no_database.err.find("names no database"), std::string::npos) << no_database.err;

  auto scheme = Generate({"--target", "postgres://x@y/z"});
  EXPECT_EQ(scheme.exit_code, 1);
  EXPECT_NE(scheme.err.find("unknown target"), std::string::npos) << scheme.err;

  // Existing data: refused without --replace.
  auto fill =
      Generate({"--scale", "0.05", "--seed", "1", "--target", target_, "--replace", "--truth",
                (std::filesystem::temp_directory_path() / "futureim-bad-truth").string()});
  ASSERT_EQ(fill.exit_code, 0) << fill.err;
  auto existing = Generate({"--scale", "0.05", "--target", target_});
  EXPECT_EQ(existing.exit_code, 1);
  EXPECT_NE(existing.err.find("already holds store data"), std::string::npos) << existing.err;
  EXPECT_NE(existing.err.find("--replace"), std::string::npos);
  std::filesystem::remove_all(std::filesystem::temp_directory_path() / "futureim-bad-truth");

  // A CSV folder that cannot be created (its parent is a file).
  testing::TempDir dir("futureim-bad-csv");
  std::ofstream(dir.path() / "plain-file") << "x";
  auto not_writable = Generate({"--scale", "0.05", "--target",
                                "csv:" + (dir.path() / "plain-file" / "store").string(), "--truth",
                                (dir.path() / "truth").string()});
  EXPECT_EQ(not_writable.exit_code, 1);
  EXPECT_NE(not_writable.err.find("cannot create the CSV folder"), std::string::npos)
      << not_writable.err;

  // A full disk: the orders file is /dev/full, where every write fails with ENOSPC.
  std::filesystem::create_directories(dir.path() / "full");
  std::filesystem::create_symlink("/dev/full", dir.path() / "full" / "orders.csv");
  auto full =
      Generate({"--scale", "0.05", "--replace", "--target", "csv:" + (dir.path() / "full").string(),
                "--truth", (dir.path() / "truth").string()});
  EXPECT_EQ(full.exit_code, 1);
  EXPECT_NE(full.err.find("disk is full"), std::string::npos) << full.err;
  EXPECT_NE(full.err.find("orders.csv"), std::string::npos) << full.err;

  auto live_csv = Generate({"--live", "5", "--target", "csv:" + (dir.path() / "x").string()});
  EXPECT_EQ(live_csv.exit_code, 1);
  auto bad_rate = Generate({"--live", "-2", "--target", target_});
  EXPECT_EQ(bad_rate.exit_code, 1);
  EXPECT_NE(bad_rate.err.find("--live"), std::string::npos) << bad_rate.err;
}

struct LiveFigures {
  int64_t transactions = 0;
  double seconds = 0;
  int64_t inserts = 0, updates = 0, deletes = 0;
};

LiveFigures ParseLiveSummary(const std::string& out) {
  std::smatch match;
  LiveFigures figures;
  const std::regex pattern(
      R"(live trading stopped: (\d+) transactions in ([0-9.]+) s \([0-9.]+/s\); (\d+) inserts, (\d+) updates, (\d+) deletes)");
  if (std::regex_search(out, match, pattern)) {
    figures.transactions = std::stoll(match[1]);
    figures.seconds = std::stod(match[2]);
    figures.inserts = std::stoll(match[3]);
    figures.updates = std::stoll(match[4]);
    figures.deletes = std::stoll(match[5]);
  }
  return figures;
}

using testing::Correlation;

// Rows written by live trading (a store filled with as-of `as_of`, before
// today) look like the fill's: real names, current prices, discounts from an
// active promotion, ratings around the product's quality, and a clock that
// never goes back.
void ExpectLiveRowsAreRealistic(source::MysqlConnection& db, const std::filesystem::path& truth,
                                const std::string& as_of) {
  const std::string live = "'" + as_of + " 00:00:00'";
  // New customers: names from the fill's lists, not placeholders.
  EXPECT_GT(QueryInt(db, "SELECT COUNT(*) FROM customers WHERE created_at >= " + live), 5);
  EXPECT_EQ(QueryInt(db, "SELECT COUNT(*) FROM customers c WHERE c.created_at >= " + live +
                             " AND (c.email NOT LIKE CONCAT(LOWER(c.first_name), '.', "
                             "LOWER(c.last_name), '%@example.%') OR NOT EXISTS (SELECT 1 FROM "
                             "customers f WHERE f.created_at < " +
                             live +
                             " AND f.first_name = c.first_name) OR NOT EXISTS (SELECT 1 "
                             "FROM customers f WHERE f.created_at < " +
                             live + " AND f.last_name = c.last_name))"),
            0);
  EXPECT_EQ(QueryInt(db,
                     "SELECT COUNT(*) FROM customers WHERE first_name IN ('Live', 'Test') OR "
                     "last_name = 'Shopper' OR email LIKE 'live-%'"),
            0);
  // Item prices: the shelf price at the order's moment (products whose
  // price has not moved since) less at most a markdown.
  EXPECT_GT(QueryInt(db, "SELECT COUNT(*) FROM orders WHERE order_date >= " + live), 50);
  EXPECT_EQ(QueryInt(db,
                     "SELECT COUNT(*) FROM order_items i JOIN orders o ON o.order_id = "
                     "i.order_id JOIN products p ON p.product_id = i.product_id WHERE "
                     "o.order_date >= " +
                         live + " AND p.updated_at <= o.order_date AND i.unit_price <> p.price"),
            0);
  // Order discounts: exactly what an active code gives.
  const auto [discounted, explained] =
      testing::CountDiscountsExplainedByAPromotion(db, "o.order_date >= " + live);
  EXPECT_EQ(explained, discounted);
  EXPECT_EQ(QueryInt(db,
                     "SELECT COUNT(*) FROM promotions WHERE usage_limit IS NOT NULL AND "
                     "usage_count > usage_limit"),
            0);
  // Timestamps: every live order after every order of the fill (which ends
  // before as-of; live updates move fill orders' updated_at, so the fill's
  // own latest moment is checked in the future-store test), and live orders
  // in the order of their (time-ordered) ids.
  EXPECT_EQ(
      QueryInt(db, "SELECT (SELECT MIN(order_date) FROM orders WHERE order_date >= " + live +
                       ") >= (SELECT MAX(order_date) FROM orders WHERE order_date < " + live + ")"),
      1);
  EXPECT_EQ(QueryInt(db,
                     "SELECT COUNT(*) FROM (SELECT order_date, LAG(order_date) OVER (ORDER "
                     "BY order_id) previous FROM orders WHERE order_date >= " +
                         live + ") t WHERE order_date < previous"),
            0);
  // Ratings: live reviews follow the products' quality (truth).
  const testing::CsvTable products = testing::ReadCsv(truth / "products.csv");
  std::map<std::string, double> quality;
  for (const auto& row : products.rows) quality[row[0]] = std::stod(row[2]);
  std::vector<double> truth_quality, rating;
  for (const auto& row : db.Query("SELECT r.product_id, r.rating, EXISTS (SELECT 1 FROM orders o "
                                  "JOIN order_items i ON i.order_id = o.order_id WHERE "
                                  "o.customer_id = r.customer_id AND i.product_id = r.product_id "
                                  "AND o.order_status = 'returned') FROM reviews r WHERE "
                                  "r.created_at >= " +
                                  live)) {
    truth_quality.push_back(quality.at(*row[0]) - (*row[2] == "1" ? 1.5 : 0));
    rating.push_back(std::stod(*row[1]));
  }
  ASSERT_GE(truth_quality.size(), 25u);
  const double correlation = Correlation(truth_quality, rating);
  std::cout << "live ratings: correlation with quality " << correlation << " over " << rating.size()
            << " reviews\n";
  EXPECT_GT(correlation, 0.3);
}

TEST_F(GenerateCliTest, LiveModeTradesAtTheRequestedRateAndKeepsTheMoneyConsistent) {
  testing::TempDir dir("futureim-live");
  auto result = Generate({"--scale", "0.1", "--seed", "3", "--as-of", "2026-01-10", "--replace",
                          "--target", target_, "--truth", (dir.path() / "truth").string(), "--live",
                          "40", "--live-seconds", "20"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const LiveFigures live = ParseLiveSummary(result.out);
  ASSERT_GT(live.transactions, 0) << result.out;
  const double rate = static_cast<double>(live.transactions) / live.seconds;
  EXPECT_NEAR(rate, 40, 40 * 0.3) << result.out;
  EXPECT_GT(live.inserts, 0);
  EXPECT_GT(live.updates, 0);
  EXPECT_GT(live.deletes, 0);
  auto connection = Connect();
  // Live rows carry the real clock, after the fill's as-of.
  EXPECT_GT(QueryInt(connection, "SELECT COUNT(*) FROM orders WHERE created_at >= '2026-01-10'"),
            20);
  EXPECT_GT(QueryInt(connection,
                     "SELECT COUNT(*) FROM orders WHERE order_date < '2026-01-10' AND "
                     "updated_at >= '2026-01-10'"),
            0);
  // The same rules as the fill, on every row after trading.
  testing::ExpectStoreInvariants(connection);
  ExpectLiveRowsAreRealistic(connection, dir.path() / "truth", "2026-01-10");

  // Against the existing store (no --replace): trades without refilling.
  auto again = Generate({"--target", target_, "--live", "20", "--live-seconds", "2"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("trading on the existing store"), std::string::npos) << again.out;
  EXPECT_GT(ParseLiveSummary(again.out).transactions, 20);
}

// A store filled "as of" a future day already holds rows later than the real
// clock: live rows continue after its latest moment instead of before it.
TEST_F(GenerateCliTest, LiveTradingOnAFutureStoreContinuesAfterItsLatestRow) {
  testing::TempDir dir("futureim-live-future");
  auto fill = Generate({"--scale", "0.05", "--seed", "5", "--as-of", "2031-03-01", "--replace",
                        "--target", target_, "--truth", (dir.path() / "truth").string()});
  ASSERT_EQ(fill.exit_code, 0) << fill.err;
  auto connection = Connect();
  const std::string latest = *connection.QueryScalar(
      "SELECT GREATEST((SELECT MAX(updated_at) FROM orders), (SELECT MAX(updated_at) FROM "
      "payments), (SELECT MAX(updated_at) FROM reviews), (SELECT MAX(updated_at) FROM "
      "customers))");
  ASSERT_LT(latest, "2031-03-01");
  ASSERT_GT(latest, "2031-02-27");
  std::set<std::string> filled;
  for (const auto& row : connection.Query("SELECT order_id FROM orders")) filled.insert(*row[0]);

  // On the existing store (its truth not at hand: quality from its reviews).
  auto live = Generate({"--target", target_, "--live", "20", "--live-seconds", "3", "--seed", "9"});
  ASSERT_EQ(live.exit_code, 0) << live.err;
  int64_t new_orders = 0;
  for (const auto& row : connection.Query("SELECT order_id, order_date, created_at FROM orders")) {
    if (filled.count(*row[0])) continue;
    ++new_orders;
    EXPECT_GE(*row[1], latest) << *row[0];
    EXPECT_LT(*row[1], "2031-03-01") << "live time runs at real speed from " << latest;
    EXPECT_EQ(*row[1], *row[2]);
  }
  EXPECT_GT(new_orders, 5);
  // Rows the live trader touched carry its clock, never the real 2026 one.
  EXPECT_EQ(QueryInt(connection, "SELECT COUNT(*) FROM orders WHERE updated_at < order_date"), 0);
  EXPECT_EQ(QueryInt(connection,
                     "SELECT COUNT(*) FROM customers WHERE created_at < '2027-01-01' AND "
                     "created_at > NOW() - INTERVAL 1 DAY"),
            0);
  testing::ExpectStoreInvariants(connection);
}

// The bulk load adds secondary keys and foreign keys after the rows: the
// tables must end exactly as the schema creates them.
TEST_F(GenerateCliTest, AFilledStoreHasExactlyTheSchemasTables) {
  testing::TempDir dir("futureim-schema-identical");
  auto fill = Generate({"--scale", "0.05", "--seed", "2", "--replace", "--target", target_,
                        "--truth", (dir.path() / "truth").string()});
  ASSERT_EQ(fill.exit_code, 0) << fill.err;
  auto connection = Connect();
  auto show = [&] {
    std::vector<std::string> statements;
    for (auto table : generate::StoreTableNames()) {
      statements.push_back(*connection.Query("SHOW CREATE TABLE " + std::string(table))[0][1]);
    }
    return statements;
  };
  const auto filled = show();
  auto names = generate::StoreTableNames();
  for (auto it = names.rbegin(); it != names.rend(); ++it) {
    connection.Execute("DROP TABLE " + std::string(*it));
  }
  generate::ApplyStoreSchema(connection);
  const auto created = show();
  ASSERT_EQ(filled.size(), created.size());
  for (size_t i = 0; i < filled.size(); ++i) EXPECT_EQ(filled[i], created[i]) << names[i];
  EXPECT_NE(filled[4].find("CONSTRAINT `fk_orders_customer` FOREIGN KEY"), std::string::npos)
      << filled[4];
}

TEST_F(GenerateCliTest, SigtermFinishesTheCurrentTransactionAndExitsCleanly) {
  testing::TempDir dir("futureim-sigterm");
  auto fill = Generate({"--scale", "0.05", "--seed", "4", "--replace", "--target", target_,
                        "--truth", (dir.path() / "truth").string()});
  ASSERT_EQ(fill.exit_code, 0) << fill.err;
  const auto out_path = dir.path() / "out.txt";
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const int fd = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    ::setenv("FUTUREIM_TARGET_PASSWORD", store_.password.c_str(), 1);
    const std::string binary = testing::FutureimBinary();
    ::execl(binary.c_str(), binary.c_str(), "--log-level", "warn", "generate", "--target",
            target_.c_str(), "--live", "20", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  // Wait until it trades, let it run a little, then SIGTERM.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (ReadFile(out_path).find("trading live") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  ASSERT_EQ(::kill(pid, SIGTERM), 0);
  int status = 0;
  pid_t done = 0;
  const auto stop_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while ((done = ::waitpid(pid, &status, WNOHANG)) == 0 &&
         std::chrono::steady_clock::now() < stop_deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (done == 0) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    FAIL() << "futureim did not stop within 10 s of SIGTERM";
  }
  const std::string out = ReadFile(out_path);
  ASSERT_TRUE(WIFEXITED(status)) << out;
  EXPECT_EQ(WEXITSTATUS(status), 0) << out;
  const LiveFigures live = ParseLiveSummary(out);
  EXPECT_GT(live.transactions, 10) << out;
  // No transaction was left half done: every order has items and a payment.
  auto connection = Connect();
  EXPECT_EQ(QueryInt(connection,
                     "SELECT COUNT(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM "
                     "order_items i WHERE i.order_id = o.order_id) OR NOT EXISTS "
                     "(SELECT 1 FROM payments p WHERE p.order_id = o.order_id)"),
            0);
}

}  // namespace
}  // namespace futureim
