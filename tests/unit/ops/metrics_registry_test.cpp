#include "ops/metrics_registry.h"

#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "ops/http_request_metrics.h"

namespace futureim::ops {
namespace {

TEST(MetricsRegistryTest, RendersCountersGaugesAndHistogramsInPrometheusText) {
  MetricsRegistry registry;
  registry.DeclareCounter("futureim_things_total", "Things seen");
  registry.DeclareGauge("futureim_level", "A level\nwith a newline");
  registry.DeclareHistogram("futureim_wait_seconds", "Waits", {0.1, 1});
  registry.Increment("futureim_things_total", {{"kind", "a\"b\\c"}}, 2);
  registry.Increment("futureim_things_total", {{"kind", "a\"b\\c"}});
  registry.SetGauge("futureim_level", {}, 0.5);
  registry.Observe("futureim_wait_seconds", {{"route", "/x"}}, 0.05);
  registry.Observe("futureim_wait_seconds", {{"route", "/x"}}, 0.1);  // le is inclusive
  registry.Observe("futureim_wait_seconds", {{"route", "/x"}}, 3);
  EXPECT_EQ(registry.Render(),
            "# HELP futureim_level A level\\nwith a newline\n"
            "# TYPE futureim_level gauge\n"
            "futureim_level 0.5\n"
            "# HELP futureim_things_total Things seen\n"
            "# TYPE futureim_things_total counter\n"
            "futureim_things_total{kind=\"a\\\"b\\\\c\"} 3\n"
            "# HELP futureim_wait_seconds Waits\n"
            "# TYPE futureim_wait_seconds histogram\n"
            "futureim_wait_seconds_bucket{route=\"/x\",le=\"0.1\"} 2\n"
            "futureim_wait_seconds_bucket{route=\"/x\",le=\"1\"} 2\n"
            "futureim_wait_seconds_bucket{route=\"/x\",le=\"+Inf\"} 3\n"
            "futureim_wait_seconds_sum{route=\"/x\"} 3.15\n"
            "futureim_wait_seconds_count{route=\"/x\"} 3\n");
}

TEST(MetricsRegistryTest, RefusesMisuse) {
  MetricsRegistry registry;
  registry.DeclareCounter("futureim_a_total", "a");
  EXPECT_NO_THROW(registry.DeclareCounter("futureim_a_total", "again"));
  EXPECT_THROW(registry.DeclareGauge("futureim_a_total", "other type"), std::logic_error);
  EXPECT_THROW(registry.DeclareGauge("9bad name", "x"), std::logic_error);
  EXPECT_THROW(registry.Increment("futureim_a_total", {}, -1), std::logic_error);
  EXPECT_THROW(registry.SetGauge("futureim_undeclared", {}, 1), std::logic_error);
  EXPECT_THROW(registry.DeclareHistogram("futureim_h", "h", {1, 0.5}), std::logic_error);
}

TEST(MetricsRegistryTest, ClearDropsSeriesSoVanishedTablesStopBeingReported) {
  MetricsRegistry registry;
  registry.DeclareGauge("futureim_rows", "rows");
  registry.SetGauge("futureim_rows", {{"table", "gone"}}, 1);
  registry.Clear("futureim_rows");
  registry.SetGauge("futureim_rows", {{"table", "kept"}}, 2);
  const std::string text = registry.Render();
  EXPECT_EQ(text.find("gone"), std::string::npos);
  EXPECT_NE(text.find("futureim_rows{table=\"kept\"} 2\n"), std::string::npos);
}

TEST(HttpRequestMetricsTest, CountsByRouteTemplateAndBoundsClientChosenLabels) {
  MetricsRegistry registry;
  HttpRequestMetrics metrics(registry);
  // Several threads at once: nothing may be lost.
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) metrics.Record("GET", "/admin/users/{id}", 200, 0.002);
    });
  }
  for (auto& thread : threads) thread.join();
  metrics.Record("BREW", "", 404, 0.0001);
  metrics.Record("POST", "/query", 503, 0.5);
  const auto totals = metrics.CurrentTotals();
  EXPECT_EQ(totals.requests, 4002u);
  EXPECT_EQ(totals.server_errors, 1u);
  const std::string text = registry.Render();
  EXPECT_NE(text.find("futureim_http_requests_total{method=\"GET\",route=\"/admin/users/{id}\","
                      "status=\"200\"} 4000\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("futureim_http_requests_total{method=\"other\",route=\"unmatched\","
                      "status=\"404\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("futureim_http_request_duration_seconds_bucket{method=\"GET\",route=\"/"
                      "admin/users/{id}\",le=\"0.0025\"} 4000\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("futureim_http_request_duration_seconds_count{method=\"POST\",route=\"/"
                      "query\"} 1\n"),
            std::string::npos);
}

}  // namespace
}  // namespace futureim::ops
