#pragma once

#include <filesystem>
#include <string>

#include "api/precomputed_json.h"
#include "api/route_table.h"
#include "auth/auth_service.h"
#include "core/config.h"
#include "ops/alarm_engine.h"
#include "ops/metrics_registry.h"
#include "ops/ops_metrics.h"
#include "ops/pipeline_run_log.h"
#include "ops/pipeline_runner.h"
#include "ops/readiness_probe.h"
#include "query/query_runner.h"

namespace futureim::api {

// One function per area adds that area's routes; `futureim serve` calls the
// ones whose parts run. Only routes that really work are ever added, so
// /openapi.json (generated from the table) never lists a placeholder.

// GET /health, GET /openapi.json (describing `table` as it is when first asked).
void AddSystemRoutes(RouteTable& table, std::string version);
// /auth/*: register, login, refresh, logout, forgot/reset password, verify,
// change-password, me.
void AddAuthRoutes(RouteTable& table, auth::AuthService& auth);
// /admin/*: users (list, change roles, disable, delete) and the audit log.
void AddAdminRoutes(RouteTable& table, auth::AuthService& auth);

// POST /query (analyst+): read-only SQL over the lake through the query
// guard (query::QueryRunner), with a time and row limit; each query is
// audited. Limits are the caps a request may ask for (query.* settings).
struct QueryRouteLimits {
  int64_t max_rows = 10'000;
  int64_t timeout_seconds = 30;
};
void AddQueryRoutes(RouteTable& table, query::QueryRunner& runner, auth::AuthService& auth,
                    QueryRouteLimits limits);

// /compliance/* (SPEC.md §4, Compliance Guardian): fraud detection, risk
// scores, high-risk transactions, fraud statistics and the compliance report
// (analyst+), PCI DSS checks now (admin), analysts' reviews of detections.
// `config` (metadata.path, the PCI-relevant settings) must outlive the table.
void AddComplianceRoutes(RouteTable& table, query::QueryRunner& runner, auth::AuthService& auth,
                         const core::Config& config);
// Operations (SPEC.md §7): GET /ready (public), GET /metrics (admin, or
// public with server.metrics_public), and, for analysts, /ops/replication,
// /ops/pipeline/runs, /ops/alarms, /ops/catalog/tables[/{name}]; POST
// /ops/pipeline/run for admins. Everything borrowed must outlive the server.
// A null part leaves its routes out (never a placeholder).
struct OpsRouteParts {
  std::filesystem::path lake_root = {};
  ops::MetricsRegistry* registry = nullptr;
  ops::OpsMetrics* metrics = nullptr;  // refreshed before each /metrics render
  bool metrics_public = false;
  ops::ReadinessProbe* readiness = nullptr;
  ops::PipelineRunLog* pipeline_runs = nullptr;
  ops::PipelineRunner* pipeline_runner = nullptr;  // POST /ops/pipeline/run
  ops::AlarmEngine* alarms = nullptr;
};
void AddOpsRoutes(RouteTable& table, auth::AuthService& auth, OpsRouteParts parts);
// /copilot/* (viewer+): chat with the Retail Copilot, the caller's
// conversations (stored in the metadata database at `metadata_file`, owner
// only), and the inventory, orders, customers and sales-report views.
void AddCopilotRoutes(RouteTable& table, query::QueryRunner& runner, auth::AuthService& auth,
                      const std::filesystem::path& metadata_file);

// GET /data/health (viewer+): the curated data's health for the dashboard's
// home page, served from `data_health` (pipeline::CuratedTierHealth, which
// the serve process recomputes after each pipeline run).
void AddDataRoutes(RouteTable& table, const PrecomputedJson& data_health);

// JSON views shared by the areas.
nlohmann::json UserJson(const auth::UserSummary& user);
// Unix milliseconds as RFC 3339 UTC ("2026-11-24T19:30:00.123Z").
std::string FormatTimestamp(int64_t unix_ms);
// RFC 3339 UTC ("...Z", optional fraction) to unix milliseconds; nullopt if malformed.
std::optional<int64_t> ParseTimestamp(std::string_view text);

}  // namespace futureim::api
