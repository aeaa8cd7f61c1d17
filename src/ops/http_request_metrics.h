#pragma once

// What the API gateway counts about every answer it gives, by route
// template (never the raw path: ids would make a series per user) — and the
// totals the alarm on the 5xx rate reads.

#include <cstdint>
#include <string_view>

#include "ops/metrics_registry.h"

namespace futureim::ops {

class HttpRequestMetrics {
 public:
  // Declares futureim_http_requests_total{method,route,status} and
  // futureim_http_request_duration_seconds{method,route} in `registry`.
  explicit HttpRequestMetrics(MetricsRegistry& registry);

  // `route`: the matched pattern ("/admin/users/{id}"), or "" when no route
  // matched (counted as "unmatched").
  void Record(std::string_view method, std::string_view route, unsigned status, double seconds);

  struct Totals {
    uint64_t requests = 0;
    uint64_t server_errors = 0;  // status 5xx
  };
  Totals CurrentTotals() const;

  static constexpr std::string_view kRequestsTotal = "futureim_http_requests_total";
  static constexpr std::string_view kDuration = "futureim_http_request_duration_seconds";

 private:
  MetricsRegistry& registry_;
};

}  // namespace futureim::ops
