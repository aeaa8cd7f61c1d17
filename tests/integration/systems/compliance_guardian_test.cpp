// Compliance Guardian on simulated data, end to end on real parts: a private
// MariaDB filled by `futureim generate --truth`, replication, `futureim
// pipeline run`, `futureim systems run compliance_guardian`; the risk scores
// are judged against the simulator's fraud truth (truth/fraud.csv), analysts'
// reviews go through the metadata database, and a planted card number must be
// found by the PCI DSS checks.

#include <algorithm>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "metadata/metadata_db.h"
#include "ml/accuracy_metrics.h"
#include "source/mysql_connection.h"
#include "support/mariadb_suite.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"
#include "systems/compliance/fraud_review_store.h"

namespace futureim::testing {
namespace {

struct ScoredOrder {
  std::string order_id;
  double risk_score = 0;
  std::string band;
  size_t factors = 0;
};

class ComplianceGuardianTest : public PrivateMariadbSuite {
 protected:
  ProcessResult Futureim(std::vector<std::string> args,
                         std::map<std::string, std::string> extra = {}) const {
    auto env = Server().FutureimEnvironment(workdir_.path());
    env["FUTUREIM_LAKE_PATH"] = (workdir_.path() / "lake").string();
    for (auto& [k, v] : extra) env[k] = v;
    args.insert(args.begin(), FutureimBinary());
    return RunProcess(args, env);
  }

  nlohmann::json Query(const std::string& sql) const {
    const auto result = Futureim({"query", "--format", "json", "--max-rows", "10000000", sql});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return nlohmann::json::parse(result.out);
  }

  std::vector<ScoredOrder> Scores() const {
    std::vector<ScoredOrder> scores;
    for (const auto& row :
         Query("SELECT order_id, risk_score, risk_category, json_array_length(risk_factors) AS "
               "factors FROM compliance_guardian.risk_scores ORDER BY order_id")) {
      scores.push_back({row["order_id"], row["risk_score"], row["risk_category"], row["factors"]});
    }
    return scores;
  }

  // order id → pattern
  std::map<std::string, std::string> FraudTruth() const {
    std::ifstream file(workdir_.path() / "truth" / "fraud.csv");
    std::map<std::string, std::string> truth;
    std::string line;
    std::getline(file, line);  // header
    while (std::getline(file, line)) {
      std::istringstream fields(line);
      std::string order, customer, pattern;
      std::getline(fields, order, ',');
      std::getline(fields, customer, ',');
      std::getline(fields, pattern, ',');
      truth[order] = pattern;
    }
    return truth;
  }

  static double AveragePrecisionOf(const std::vector<ScoredOrder>& scores,
                                   const std::map<std::string, std::string>& truth,
                                   const std::set<std::string>& excluded) {
    std::vector<bool> labels;
    std::vector<double> values;
    for (const auto& s : scores) {
      if (excluded.contains(s.order_id)) continue;
      labels.push_back(truth.contains(s.order_id));
      values.push_back(s.risk_score);
    }
    return ml::AveragePrecision(labels, values).value_or(0);
  }

  TempDir workdir_{"futureim-compliance"};
};

TEST_F(ComplianceGuardianTest, FindsInjectedFraudLearnsFromReviewsAndFindsAPlantedCardNumber) {
  auto root = source::MysqlConnection::Connect(Server().Root());
  root.Execute("DROP DATABASE IF EXISTS ecommerce");
  root.Execute("CREATE DATABASE ecommerce");
  ASSERT_EQ(Futureim({"init"}).exit_code, 0);
  const auto store = Server().StoreUser();
  const auto generated =
      Futureim({"--log-level", "warn", "generate", "--scale", "0.5", "--seed", "21", "--target",
                "mysql://" + store.user + "@127.0.0.1:" + std::to_string(store.port) + "/ecommerce",
                "--truth", (workdir_.path() / "truth").string()},
               {{"FUTUREIM_TARGET_PASSWORD", store.password}});
  ASSERT_EQ(generated.exit_code, 0) << generated.err;
  ASSERT_EQ(Futureim({"--log-level", "warn", "replicate", "--until-caught-up"}).exit_code, 0);
  // The pipeline run curates, then runs every system, this one included.
  const auto pipeline = Futureim({"--log-level", "warn", "pipeline", "run"});
  ASSERT_EQ(pipeline.exit_code, 0) << pipeline.err;

  // Unsupervised: average precision and each pattern's recall in the top 5 %.
  const auto truth = FraudTruth();
  ASSERT_GT(truth.size(), 50u);
  const auto scores = Scores();
  ASSERT_GT(scores.size(), 5000u);
  size_t frauds_scored = 0;
  for (const auto& s : scores) frauds_scored += truth.contains(s.order_id) ? 1 : 0;
  const double base_rate = static_cast<double>(frauds_scored) / static_cast<double>(scores.size());
  const double unsupervised_ap = AveragePrecisionOf(scores, truth, {});
  EXPECT_GE(unsupervised_ap, 5 * base_rate) << "base rate " << base_rate;
  std::vector<double> sorted;
  for (const auto& s : scores) sorted.push_back(s.risk_score);
  std::sort(sorted.begin(), sorted.end(), std::greater<>());
  const double top5 = sorted[scores.size() / 20];
  std::map<std::string, std::pair<size_t, size_t>> recall;  // pattern → (in top 5 %, all)
  for (const auto& s : scores) {
    const auto found = truth.find(s.order_id);
    if (found == truth.end()) continue;
    recall[found->second].second += 1;
    recall[found->second].first += s.risk_score > top5 ? 1 : 0;
  }
  for (const char* pattern :
       {"card_testing", "account_takeover", "velocity_burst", "refund_abuse"}) {
    ASSERT_TRUE(recall.contains(pattern)) << pattern;
    const auto [hit, all] = recall[pattern];
    EXPECT_GE(static_cast<double>(hit) / static_cast<double>(all), 0.6)
        << pattern << ": " << hit << " of " << all;
  }
  // Every band is reached, and every high-risk score names its factors.
  std::map<std::string, size_t> bands;
  for (const auto& s : scores) {
    bands[s.band] += 1;
    if (s.risk_score > 60) {
      EXPECT_GT(s.factors, 0u) << s.order_id;
    }
  }
  for (const char* band : {"low", "medium", "high", "critical"}) {
    EXPECT_GT(bands[band], 0u) << band;
  }
  std::cout << "unsupervised AP " << unsupervised_ap << " (base rate " << base_rate << ")\n";

  // Reviews: the truth of 30 % of the flagged orders, as analysts' verdicts.
  std::vector<std::string> flagged;
  for (const auto& row :
       Query("SELECT detection_id FROM compliance_guardian.fraud_detections ORDER BY 1")) {
    flagged.push_back(row["detection_id"]);
  }
  ASSERT_GT(flagged.size(), 20u);
  std::mt19937_64 random(5);
  std::shuffle(flagged.begin(), flagged.end(), random);
  flagged.resize(flagged.size() * 3 / 10);
  std::set<std::string> reviewed(flagged.begin(), flagged.end());
  {
    auto metadata = metadata::MetadataDb::Open(workdir_.path() / "meta" / "futureim.db");
    systems::compliance::FraudReviewStore store_of_reviews(metadata);
    for (const auto& order : reviewed) {
      store_of_reviews.Record(order,
                              truth.contains(order)
                                  ? systems::compliance::ReviewVerdict::kConfirmed
                                  : systems::compliance::ReviewVerdict::kDismissed,
                              "test", "", 0);
    }
  }
  const double before = AveragePrecisionOf(scores, truth, reviewed);
  const auto rerun =
      Futureim({"--log-level", "warn", "systems", "run", "compliance_guardian", "--json"});
  ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
  const double after = AveragePrecisionOf(Scores(), truth, reviewed);
  // Reviews at least halve what the ranking of the unreviewed orders misses
  // (1 - AP): a ratio after/before cannot exceed 1/before, so once the
  // unsupervised ranking is good a fixed ratio would ask for the impossible.
  EXPECT_LE(1 - after, 0.5 * (1 - before))
      << "AP on the unreviewed orders before " << before << ", after " << after;
  std::cout << "AP on unreviewed orders: " << before << " before reviews, " << after << " after\n";
  const auto statuses = Query(
      "SELECT count(*) FILTER (WHERE investigation_status <> 'pending') AS judged FROM "
      "compliance_guardian.fraud_detections");
  EXPECT_GT(statuses.at(0)["judged"].get<int64_t>(), 0);

  // PCI DSS: the clean lake has no card data; a card number typed into a
  // free-text column at the source is found in the raw tier.
  const auto check = [&](const std::string& id) {
    const auto rows = Query(
        "SELECT compliance_status, issues_found FROM compliance_guardian.compliance_checks "
        "WHERE check_id = '" +
        id + "'");
    EXPECT_EQ(rows.size(), 1u) << id;
    return rows.empty() ? nlohmann::json() : rows.at(0);
  };
  for (const char* id : {"pan_storage", "cvv_storage", "card_masking"}) {
    const auto row = check(id);
    EXPECT_EQ(row["compliance_status"], "compliant") << id << ": " << row["issues_found"];
  }
  auto store_connection = source::MysqlConnection::Connect(store);
  store_connection.Execute(
      "UPDATE ecommerce.orders SET shipping_address_line2 = 'leave at door, card 4111 1111 1111 "
      "1111' "
      "ORDER BY order_id LIMIT 1");
  ASSERT_EQ(Futureim({"--log-level", "warn", "replicate", "--until-caught-up"}).exit_code, 0);
  ASSERT_EQ(Futureim({"--log-level", "warn", "systems", "run", "compliance_guardian"}).exit_code,
            0);
  const auto pan = check("pan_storage");
  EXPECT_EQ(pan["compliance_status"], "non_compliant");
  const std::string issues = pan["issues_found"].dump();
  EXPECT_NE(issues.find("shipping_address_line2"), std::string::npos) << issues;
  EXPECT_NE(issues.find("411111******1111"), std::string::npos) << issues;
  EXPECT_EQ(issues.find("4111111111111111"), std::string::npos)
      << "a finding must not show the number";
}

}  // namespace
}  // namespace futureim::testing
