// The whole path on real parts: a private MariaDB filled by `futureim
// generate`, `futureim replicate --until-caught-up`, `futureim pipeline run`;
// curated row counts must equal the source's minus the quarantined rows, and
// `futureim query` reads the encrypted curated tables.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "generate/store_schema.h"
#include "support/mariadb_suite.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace futureim::testing {
namespace {

class PipelineEndToEndTest : public PrivateMariadbSuite {
 protected:
  ProcessResult Futureim(std::vector<std::string> args,
                         std::map<std::string, std::string> extra = {}) const {
    auto env = Server().FutureimEnvironment(workdir_.path());
    env["FUTUREIM_LAKE_PATH"] = (workdir_.path() / "lake").string();
    env["FUTUREIM_LOG_FORMAT"] = "json";
    for (auto& [k, v] : extra) env[k] = v;
    args.insert(args.begin(), FutureimBinary());
    return RunProcess(args, env);
  }

  TempDir workdir_{"futureim-pipeline-e2e"};
};

TEST_F(PipelineEndToEndTest, CuratedCountsEqualSourceCountsMinusQuarantine) {
  auto root = source::MysqlConnection::Connect(Server().Root());
  root.Execute("DROP DATABASE IF EXISTS ecommerce");
  root.Execute("CREATE DATABASE ecommerce");
  ASSERT_EQ(Futureim({"init"}).exit_code, 0);
  const auto store = Server().StoreUser();
  const auto generated = Futureim(
      {"--log-level", "warn", "generate", "--scale", "0.05", "--seed", "11", "--target",
       "mysql://" + store.user + "@127.0.0.1:" + std::to_string(store.port) + "/ecommerce"},
      {{"FUTUREIM_TARGET_PASSWORD", store.password}});
  ASSERT_EQ(generated.exit_code, 0) << generated.err;
  // Some rows the rules must catch, written on the source like any change.
  auto store_connection = source::MysqlConnection::Connect(store);
  store_connection.Execute(
      "UPDATE ecommerce.orders SET total_amount = 0 ORDER BY order_id LIMIT 3");
  store_connection.Execute(
      "UPDATE ecommerce.customers SET email = CONCAT('broken-', customer_id) WHERE customer_id IN "
      "(SELECT customer_id FROM ecommerce.orders) ORDER BY customer_id LIMIT 2");
  const auto replicated = Futureim({"--log-level", "warn", "replicate", "--until-caught-up"});
  ASSERT_EQ(replicated.exit_code, 0) << replicated.err;

  std::map<std::string, nlohmann::json> tables;
  // Curates and checks, per table, curated + quarantined = the source's rows.
  const auto curate_and_compare = [&] {
    const auto run = Futureim({"--log-level", "warn", "pipeline", "run", "--json"});
    ASSERT_EQ(run.exit_code, 0) << run.err;
    const auto report = nlohmann::json::parse(run.out).at("curation");
    tables.clear();
    for (const auto& table : report.at("tables")) tables[table.at("table")] = table;
    for (const auto name : generate::StoreTableNames()) {
      const std::string table(name);
      ASSERT_TRUE(tables.count(table)) << table << " was not curated";
      const auto rows = store_connection.Query("SELECT count(*) FROM ecommerce." + table);
      const uint64_t source_rows = std::stoull(rows.at(0).at(0).value());
      const uint64_t curated = tables[table].at("rows");
      const uint64_t quarantined = tables[table].at("quarantined");
      EXPECT_EQ(curated + quarantined, source_rows) << table;
      EXPECT_GT(tables[table].at("quality").at("overall").get<double>(), 0.5) << table;
      EXPECT_EQ(tables[table].at("quality").at("score"), tables[table].at("quality").at("overall"))
          << table;
    }
  };
  curate_and_compare();
  if (HasFatalFailure()) return;
  // The crafted failures are quarantined with their rules; the children of
  // quarantined rows follow them.
  EXPECT_EQ(tables["orders"].at("quarantine_rules").value("orders.total_amount_positive", 0), 3);
  EXPECT_EQ(tables["customers"].at("quarantine_rules").value("customers.email_well_formed", 0), 2);
  EXPECT_GT(tables["orders"].at("quarantine_rules").value("foreign_key.fk_orders_customer", 0), 0);

  // The query command reads the encrypted curated tier with the key from
  // the key store.
  const auto query = Futureim(
      {"query", "--format", "csv", "SELECT count(*) FROM curated.orders WHERE total_amount > 0"});
  ASSERT_EQ(query.exit_code, 0) << query.err;
  EXPECT_EQ(query.out,
            "count_star()\r\n" + tables["orders"].at("rows").dump() + "\r\n");  // RFC 4180

  // A deleted order: InnoDB cascades to its items, payments and shipments
  // without binlog rows; curation applies the cascade from the manifest's
  // foreign keys, so the counts still match.
  store_connection.Execute(
      "DELETE FROM ecommerce.orders WHERE order_id IN (SELECT order_id FROM (SELECT o.order_id "
      "FROM ecommerce.orders o JOIN ecommerce.order_items i USING (order_id) JOIN "
      "ecommerce.payments p USING (order_id) ORDER BY o.order_id LIMIT 5) AS chosen)");
  ASSERT_EQ(Futureim({"--log-level", "warn", "replicate", "--until-caught-up"}).exit_code, 0);
  curate_and_compare();

  // A second run with nothing new writes nothing.
  const auto again = Futureim({"--log-level", "warn", "pipeline", "run"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("up to date"), std::string::npos) << again.out;
}

}  // namespace
}  // namespace futureim::testing
