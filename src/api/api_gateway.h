#pragma once

#include <memory>
#include <string>
#include <vector>

#include "api/http_message.h"
#include "api/rate_limiter.h"
#include "api/route_table.h"
#include "api/static_files.h"
#include "api/worker_pool.h"
#include "auth/auth_service.h"
#include "ops/http_request_metrics.h"

namespace futureim::api {

struct GatewayOptions {
  std::vector<std::string> cors_origins;  // exact origins ("https://app.example.com")
  int64_t ip_per_minute = 1200;
  int64_t user_per_minute = 1200;
  int64_t credential_ip_per_minute = 30;  // Throttle::kCredentials routes
  int worker_threads = 2;
  size_t max_queued_jobs = 256;
  // The dashboard, answering GETs no route claims (null: API only).
  std::shared_ptr<const StaticFiles> static_files;
  // Counts every answer by route template (GET /metrics); null: not counted.
  ops::HttpRequestMetrics* metrics = nullptr;
};

// Everything between the transport and a route handler, in this order:
// request id, target decoding (path traversal and bad encodings refused),
// CORS preflight, per-IP rate limit, route match (404/405), credential
// throttle, bearer authentication and role check (401/403), per-user rate
// limit, body/query validation (400 naming the field), then the handler —
// inline for cheap routes, on the bounded worker pool otherwise (503 when
// full). Every answer carries the request id, the security headers and, for
// an allowed origin, CORS headers; every error is
// {"error":{"code","message"[,"field"]}} and never carries internals.
class ApiGateway : public RequestHandler {
 public:
  ApiGateway(const RouteTable& routes, auth::AuthService& auth, GatewayOptions options);

  void Handle(HttpRequest request, std::function<void(HttpResponse)> respond) override;
  HttpResponse Refuse(unsigned status, std::string_view code, std::string_view message,
                      bool tls) override;
  // Waits for jobs on the worker pool (after the server stopped reading).
  void JoinWorkers() { workers_.Join(); }

 private:
  struct Exchange;
  void Dispatch(const std::shared_ptr<Exchange>& exchange);
  void Run(const std::shared_ptr<Exchange>& exchange);
  void LogExchange(const Exchange& exchange, unsigned status) const;
  HttpResponse Finish(const Exchange& exchange, unsigned status, std::string body,
                      std::vector<std::pair<std::string, std::string>> extra_headers = {});
  HttpResponse ErrorResponse(const Exchange& exchange, unsigned status, std::string_view code,
                             std::string_view message, std::string_view field = {},
                             std::vector<std::pair<std::string, std::string>> extra = {});
  std::string AllowedOrigin(const HttpRequest& request) const;
  // The error answer for the exception being handled (call inside catch).
  HttpResponse CurrentErrorResponse(const Exchange& exchange);

  const RouteTable& routes_;
  auth::AuthService& auth_;
  GatewayOptions options_;
  RateLimiter ip_limiter_;
  RateLimiter user_limiter_;
  RateLimiter credential_limiter_;
  WorkerPool workers_;
};

// Splits a request target into its decoded path and query parameters.
// Throws ApiError 400 for a bad percent-encoding, invalid UTF-8, a NUL, a
// "." or ".." segment, or a repeated parameter.
struct DecodedTarget {
  std::string path;
  std::map<std::string, std::string> query;
};
DecodedTarget DecodeTarget(std::string_view target);

}  // namespace futureim::api
