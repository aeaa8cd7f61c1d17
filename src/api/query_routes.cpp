#include <chrono>
#include <mutex>

#include "api/api_error.h"
#include "api/area_routes.h"
#include "query/query_error.h"
#include "query/result_format.h"

namespace futureim::api {
namespace {

// The lake changes while the server runs (replication commits, pipeline
// runs): the views are rebuilt before a query when they are older than this.
constexpr auto kViewMaxAge = std::chrono::seconds(10);

class LakeQueryArea {
 public:
  LakeQueryArea(query::QueryRunner& runner, auth::AuthService& auth, QueryRouteLimits limits)
      : runner_(runner), auth_(auth), limits_(limits) {}

  RouteResponse Run(RequestContext& c) {
    RefreshViewsIfStale();
    query::QueryLimits limits;
    limits.max_rows = static_cast<uint64_t>(
        c.body.contains("max_rows") ? c.body["max_rows"].get<int64_t>() : limits_.max_rows);
    limits.timeout = std::chrono::seconds(c.body.contains("timeout_seconds")
                                              ? c.body["timeout_seconds"].get<int64_t>()
                                              : limits_.timeout_seconds);
    const std::string& sql = c.body["sql"].get_ref<const std::string&>();
    // Who ran what is security-relevant (SPEC.md §5); the text is cut so a
    // huge query cannot bloat the log.
    nlohmann::json detail = {{"sql", sql.substr(0, 2000)}, {"sql_bytes", sql.size()}};
    try {
      const auto result = runner_.Run(sql, limits);
      detail["rows"] = result.rows.size();
      detail["ms"] = result.elapsed.count() / 1000;
      auth_.Audit({c.principal->user_id, "query", "lake", c.client_ip, detail});
      nlohmann::json columns = nlohmann::json::array();
      for (const auto& column : result.columns) {
        columns.push_back({{"name", column.name}, {"type", column.type}});
      }
      // The rows are rendered by the same formatter as `futureim query
      // --format json`, and spliced in as text (no second JSON tree).
      std::string body =
          "{\"columns\":" + columns.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
          ",\"rows\":" + query::FormatAsJson(result) +
          ",\"row_count\":" + std::to_string(result.rows.size()) +
          ",\"truncated\":" + (result.truncated ? "true" : "false") +
          ",\"elapsed_ms\":" + std::to_string(result.elapsed.count() / 1000) + "}";
      return RouteResponse{.raw_json = std::move(body)};
    } catch (const query::QueryError& e) {
      detail["refused"] = e.what();
      auth_.Audit({c.principal->user_id, "query_refused", "lake", c.client_ip, detail});
      switch (e.Kind()) {
        case query::QueryErrorKind::kRejected:
          throw ApiError(400, "query_rejected", e.what(), "sql");
        case query::QueryErrorKind::kInvalid:
          throw ApiError(400, "invalid_query", e.what(), "sql");
        case query::QueryErrorKind::kTimedOut:
          throw ApiError(504, "query_timeout", e.what());
        case query::QueryErrorKind::kFailed:
          throw ApiError(422, "query_failed", e.what(), "sql");
      }
      throw;
    }
  }

 private:
  void RefreshViewsIfStale() {
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    if (now - refreshed_ < kViewMaxAge) return;
    runner_.Refresh();
    refreshed_ = now;
  }

  query::QueryRunner& runner_;
  auth::AuthService& auth_;
  QueryRouteLimits limits_;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point refreshed_ = std::chrono::steady_clock::now();
};

}  // namespace

void AddQueryRoutes(RouteTable& table, query::QueryRunner& runner, auth::AuthService& auth,
                    QueryRouteLimits limits) {
  auto area = std::make_shared<LakeQueryArea>(runner, auth, limits);
  table.Add(Route{
      .method = "POST",
      .pattern = "/query",
      .summary = "Run one read-only SQL query over the lake's views (the same guard, limits and "
                 "JSON rendering as `futureim query`)",
      .tag = "query",
      .required = auth::Role::kAnalyst,
      .body = {FieldSpec{.name = "sql",
                         .description = "SELECT, WITH ... SELECT, VALUES, DESCRIBE ...",
                         .max_length = 100'000},
               FieldSpec{.name = "max_rows",
                         .type = FieldType::kInteger,
                         .required = false,
                         .description = "rows returned at most (more: truncated is true)",
                         .min = 1,
                         .max = limits.max_rows},
               FieldSpec{.name = "timeout_seconds",
                         .type = FieldType::kInteger,
                         .required = false,
                         .description = "time limit",
                         .min = 1,
                         .max = limits.timeout_seconds}},
      .handler = [area](RequestContext& c) { return area->Run(c); },
  });
}

}  // namespace futureim::api
