// `futureim generate` end to end: determinism, the CSV target, live trading
// (rate, the mix of inserts/updates/deletes, consistency, a clean stop on
// SIGTERM) and a clear error for each bad input.

#include <chrono>
#include <fstream>
#include <iterator>
#include <regex>
#include <thread>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "generate/store_schema.h"
#include "generate_fixture.h"

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

TEST_F(GenerateCliTest, LiveModeTradesAtTheRequestedRateAndKeepsTheMoneyConsistent) {
  testing::TempDir dir("futureim-live");
  auto result = Generate({"--scale", "0.1", "--seed", "3", "--as-of", "2026-01-10", "--replace",
                          "--target", target_, "--truth", (dir.path() / "truth").string(), "--live",
                          "25", "--live-seconds", "8"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const LiveFigures live = ParseLiveSummary(result.out);
  ASSERT_GT(live.transactions, 0) << result.out;
  const double rate = static_cast<double>(live.transactions) / live.seconds;
  EXPECT_NEAR(rate, 25, 25 * 0.3) << result.out;
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
  // The same money and state rules hold after trading.
  EXPECT_EQ(QueryInt(connection,
                     "SELECT COUNT(*) FROM order_items WHERE total_amount <> "
                     "(unit_price - discount_amount) * quantity + tax_amount"),
            0);
  EXPECT_EQ(QueryInt(connection,
                     "SELECT COUNT(*) FROM orders o JOIN (SELECT order_id, SUM(total_amount) t, "
                     "SUM(tax_amount) x FROM order_items GROUP BY order_id) i ON i.order_id = "
                     "o.order_id WHERE o.total_amount <> i.t + o.shipping_amount - "
                     "o.discount_amount OR o.tax_amount <> i.x"),
            0);
  EXPECT_EQ(QueryInt(connection,
                     "SELECT COUNT(*) FROM payments p JOIN orders o ON o.order_id = "
                     "p.order_id WHERE p.payment_status = 'completed' AND "
                     "o.order_status NOT IN ('processing', 'shipped', 'delivered')"),
            0);
  EXPECT_EQ(QueryInt(connection,
                     "SELECT COUNT(*) FROM payments WHERE (payment_method IN "
                     "('credit_card', 'debit_card')) <> (card_last_four IS NOT NULL)"),
            0);
  EXPECT_EQ(QueryInt(connection,
                     "SELECT COUNT(*) FROM shipments s JOIN orders o ON o.order_id = "
                     "s.order_id WHERE o.order_status NOT IN ('shipped', "
                     "'delivered', 'returned')"),
            0);

  // Against the existing store (no --replace): trades without refilling.
  auto again = Generate({"--target", target_, "--live", "20", "--live-seconds", "2"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("trading on the existing store"), std::string::npos) << again.out;
  EXPECT_GT(ParseLiveSummary(again.out).transactions, 20);
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
