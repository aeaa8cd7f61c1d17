#pragma once

#include <memory>

#include "api/route_table.h"
#include "auth/auth_service.h"
#include "cli/command_context.h"
#include "ops/alarm_engine.h"
#include "ops/http_request_metrics.h"
#include "ops/metrics_registry.h"
#include "ops/ops_metrics.h"
#include "ops/pipeline_run_log.h"
#include "ops/pipeline_runner.h"
#include "ops/readiness_probe.h"
#include "ops/webhook_notifier.h"

namespace futureim::cli {

// The operations part of `futureim serve`, wired from the config: the
// metrics registry (and the gateway's per-route counters), readiness, the
// pipeline run log and on-demand runner, and the alarm engine evaluating on
// its own thread, delivering state changes to the audit log and the webhook
// (alarms.webhook_url). Destroy it after the server stopped: the alarm
// thread and the webhook stop with it.
class InstalledOps {
 public:
  InstalledOps(CommandContext& context, auth::AuthService& auth);
  ~InstalledOps();

  ops::HttpRequestMetrics& http_metrics() { return http_metrics_; }
  // GET /ready, /metrics, /ops/*.
  void AddRoutes(api::RouteTable& routes, auth::AuthService& auth);
  // Starts evaluating the alarm rules every alarms.interval_seconds.
  void StartAlarms();

 private:
  ops::AlarmObservation Observe();

  CommandContext& context_;
  ops::MetricsRegistry registry_;
  ops::HttpRequestMetrics http_metrics_;
  ops::PipelineRunLog runs_;
  ops::PipelineRunner runner_;
  std::unique_ptr<ops::ReadinessProbe> readiness_;
  std::unique_ptr<ops::WebhookNotifier> webhook_;
  std::unique_ptr<ops::AlarmEngine> alarms_;
  std::unique_ptr<ops::OpsMetrics> ops_metrics_;
};

}  // namespace futureim::cli
