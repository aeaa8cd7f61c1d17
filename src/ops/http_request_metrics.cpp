#include "ops/http_request_metrics.h"

#include <string>

namespace futureim::ops {
namespace {

// Labels come from the client: an unknown method is "other", so no client can
// create series without bound.
std::string MethodLabel(std::string_view method) {
  for (std::string_view known : {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"}) {
    if (method == known) return std::string(known);
  }
  return "other";
}

}  // namespace

HttpRequestMetrics::HttpRequestMetrics(MetricsRegistry& registry) : registry_(registry) {
  registry_.DeclareCounter(std::string(kRequestsTotal),
                           "HTTP requests answered, by method, route template and status");
  registry_.DeclareHistogram(std::string(kDuration),
                             "Time from a request's arrival to its answer, by route template",
                             DefaultLatencyBuckets());
}

void HttpRequestMetrics::Record(std::string_view method, std::string_view route, unsigned status,
                                double seconds) {
  const std::string route_label = route.empty() ? "unmatched" : std::string(route);
  const std::string method_label = MethodLabel(method);
  registry_.Increment(
      kRequestsTotal,
      {{"method", method_label}, {"route", route_label}, {"status", std::to_string(status)}});
  registry_.Observe(kDuration, {{"method", method_label}, {"route", route_label}}, seconds);
}

HttpRequestMetrics::Totals HttpRequestMetrics::CurrentTotals() const {
  Totals totals;
  totals.requests = static_cast<uint64_t>(registry_.Sum(kRequestsTotal));
  totals.server_errors =
      static_cast<uint64_t>(registry_.Sum(kRequestsTotal, [](const MetricLabels& labels) {
        for (const auto& [name, value] : labels) {
          if (name == "status") return !value.empty() && value[0] == '5';
        }
        return false;
      }));
  return totals;
}

}  // namespace futureim::ops
