#include <chrono>
#include <mutex>

#include "api/api_error.h"
#include "api/area_routes.h"
#include "metadata/metadata_db.h"
#include "systems/compliance/compliance_answers.h"
#include "systems/compliance/pci_compliance.h"
#include "systems/compliance/pci_configuration.h"

namespace futureim::api {
namespace {

namespace compliance = systems::compliance;

// The Compliance Guardian's routes (SPEC.md §4). Answers read the system's
// current prod tables through a trusted lake session; reviews go to the
// metadata database, opened per request (SQLite handles are not shared
// between worker threads).
class ComplianceArea {
 public:
  ComplianceArea(query::QueryRunner& runner, auth::AuthService& auth, const core::Config& config)
      : runner_(runner), auth_(auth), config_(config) {}

  template <typename AnswerFunction>
  RouteResponse Respond(AnswerFunction&& answer) {
    RefreshViewsIfStale();
    auto session = runner_.OpenSession();
    try {
      return RouteResponse{.body = answer(session.connection())};
    } catch (const compliance::NoComplianceRun& e) {
      throw ApiError(404, "no_run", e.what());
    } catch (const std::out_of_range& e) {
      throw ApiError(404, "not_found", e.what());
    } catch (const std::invalid_argument& e) {
      throw ApiError(400, "invalid_parameter", e.what());
    }
  }

  static compliance::TransactionQuery TransactionQueryOf(const nlohmann::json& body) {
    compliance::TransactionQuery query;
    query.days = body.value("days", int64_t{7});
    if (body.contains("transaction_ids"))
      query.transaction_ids = body["transaction_ids"].get<std::vector<std::string>>();
    return query;
  }

  RouteResponse PciCompliance(RequestContext&) {
    RefreshViewsIfStale();
    auto session = runner_.OpenSession();
    const auto report = compliance::CheckPciCompliance(
        session.connection(), compliance::PciScanSchemas(session.connection()),
        compliance::ReadPciConfiguration(config_));
    return RouteResponse{.body = {{"compliance_report", compliance::ToJson(report)}}};
  }

  RouteResponse Review(RequestContext& c) {
    const std::string& id = c.params.at("id");
    const std::string verdict = c.body.at("verdict").get<std::string>();
    const std::string notes = c.body.value("notes", std::string());
    const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    auto response = Respond([&](engine::Connection& lake) {
      auto metadata = metadata::MetadataDb::Open(config_.GetPath("metadata.path"));
      return compliance::ReviewDetection(lake, metadata, id, verdict, c.principal->user_id, notes,
                                         now_ms);
    });
    auth_.Audit({c.principal->user_id, "fraud_review", id, c.client_ip, {{"verdict", verdict}}});
    return response;
  }

  void RefreshViewsIfStale() {
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    if (now - refreshed_ < std::chrono::seconds(10)) return;
    runner_.Refresh();
    refreshed_ = now;
  }

 private:
  query::QueryRunner& runner_;
  auth::AuthService& auth_;
  const core::Config& config_;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point refreshed_ = std::chrono::steady_clock::now();
};

FieldSpec DaysField(int64_t default_days) {
  return FieldSpec{
      .name = "days",
      .type = FieldType::kInteger,
      .required = false,
      .description = "period: the last N days up to the latest scored order (default " +
                     std::to_string(default_days) + ")",
      .min = 1,
      .max = 3650};
}

FieldSpec TransactionIdsField() {
  return FieldSpec{.name = "transaction_ids",
                   .type = FieldType::kStringList,
                   .required = false,
                   .description = "only these orders (ids), at most 1000",
                   .max_length = 64};
}

}  // namespace

void AddComplianceRoutes(RouteTable& table, query::QueryRunner& runner, auth::AuthService& auth,
                         const core::Config& config) {
  auto area = std::make_shared<ComplianceArea>(runner, auth, config);
  table.Add(Route{
      .method = "POST",
      .pattern = "/compliance/fraud-detection",
      .summary =
          "Fraud probability, risk level and factors of the period's orders; top 50; patterns",
      .tag = "compliance",
      .required = auth::Role::kAnalyst,
      .body = {DaysField(7), TransactionIdsField()},
      .handler = [area](RequestContext& c) {
        const auto query = ComplianceArea::TransactionQueryOf(c.body);
        return area->Respond(
            [&](engine::Connection& lake) { return compliance::FraudDetection(lake, query); });
      }});
  table.Add(Route{.method = "POST",
                  .pattern = "/compliance/risk-score",
                  .summary = "0-100 risk scores with bands and factors; top 50; band distribution",
                  .tag = "compliance",
                  .required = auth::Role::kAnalyst,
                  .body = {DaysField(7), TransactionIdsField()},
                  .handler = [area](RequestContext& c) {
                    const auto query = ComplianceArea::TransactionQueryOf(c.body);
                    return area->Respond([&](engine::Connection& lake) {
                      return compliance::RiskScores(lake, query);
                    });
                  }});
  table.Add(Route{.method = "GET",
                  .pattern = "/compliance/high-risk-transactions",
                  .summary = "Orders at or above a risk threshold, highest first",
                  .tag = "compliance",
                  .required = auth::Role::kAnalyst,
                  .query = {DaysField(7),
                            FieldSpec{.name = "threshold",
                                      .type = FieldType::kInteger,
                                      .required = false,
                                      .description = "risk score 0-100 (default 70)",
                                      .min = 0,
                                      .max = 100},
                            FieldSpec{.name = "limit",
                                      .type = FieldType::kInteger,
                                      .required = false,
                                      .description = "rows at most (default 100)",
                                      .min = 1,
                                      .max = 1000}},
                  .handler = [area](RequestContext& c) {
                    return area->Respond([&](engine::Connection& lake) {
                      return compliance::HighRiskTransactions(
                          lake, c.query.value("days", int64_t{7}),
                          static_cast<double>(c.query.value("threshold", int64_t{70})),
                          c.query.value("limit", int64_t{100}));
                    });
                  }});
  table.Add(Route{
      .method = "POST",
      .pattern = "/compliance/pci-compliance",
      .summary = "PCI DSS checks now: card numbers in any text column of any tier, CVV columns, "
                 "masking, encryption at rest, TLS, audit logging; score and remediation",
      .tag = "compliance",
      .required = auth::Role::kAdmin,
      .handler = [area](RequestContext& c) { return area->PciCompliance(c); }});
  table.Add(
      Route{.method = "GET",
            .pattern = "/compliance/compliance-report",
            .summary = "The last run's PCI DSS checks with fraud and risk analysis of the period",
            .tag = "compliance",
            .required = auth::Role::kAnalyst,
            .query = {DaysField(30)},
            .handler = [area](RequestContext& c) {
              return area->Respond([&](engine::Connection& lake) {
                return compliance::ComplianceReport(lake, c.query.value("days", int64_t{30}));
              });
            }});
  table.Add(Route{
      .method = "GET",
      .pattern = "/compliance/fraud-statistics",
      .summary = "Transactions, amounts, flagged share and average risk, in total and per day",
      .tag = "compliance",
      .required = auth::Role::kAnalyst,
      .query = {DaysField(30)},
      .handler = [area](RequestContext& c) {
        return area->Respond([&](engine::Connection& lake) {
          return compliance::FraudStatistics(lake, c.query.value("days", int64_t{30}));
        });
      }});
  table.Add(Route{
      .method = "POST",
      .pattern = "/compliance/detections/{id}/review",
      .summary = "An analyst's verdict on a detection (confirmed or dismissed); the next run's "
                 "supervised model learns from it",
      .tag = "compliance",
      .required = auth::Role::kAnalyst,
      .body = {FieldSpec{.name = "verdict", .allowed = {"confirmed", "dismissed"}},
               FieldSpec{.name = "notes", .required = false, .max_length = 4000}},
      .handler = [area](RequestContext& c) { return area->Review(c); }});
}

}  // namespace futureim::api
