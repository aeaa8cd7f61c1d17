#include "cli/installed_ops.h"

#include "api/area_routes.h"
#include "cli/pipeline_options_from_config.h"
#include "core/log.h"
#include "ops/lake_signals.h"
#include "source/source_config.h"

namespace futureim::cli {
namespace {

ops::AlarmSettings AlarmSettingsFromConfig(const core::Config& config) {
  ops::AlarmSettings settings;
  settings.replication_lag_seconds = config.GetInt("alarms.replication_lag_seconds");
  settings.api_5xx_percent = config.GetInt("alarms.api_5xx_percent");
  settings.api_5xx_window_seconds = config.GetInt("alarms.api_5xx_window_seconds");
  settings.pipeline_failed = config.GetBool("alarms.pipeline_failed");
  settings.data_quality_min_percent = config.GetInt("alarms.data_quality_min_percent");
  return settings;
}

std::optional<source::SourceEndpoint> SourceFromConfig(CommandContext& context) {
  try {
    return source::EndpointFromConfig(context.config(), context.secrets());
  } catch (const core::Error& e) {
    core::log::Warn("ready_source_unconfigured", {{"error", e.what()}});
    return std::nullopt;
  }
}

}  // namespace

InstalledOps::InstalledOps(CommandContext& context, auth::AuthService& auth)
    : context_(context),
      http_metrics_(registry_),
      runs_(context.config().GetPath("metadata.path")),
      runner_(runs_, [&context] {
        // Read per run: a key rotated since the server started is used.
        pipeline::CurationStep curation(CurationOptionsFromConfig(context));
        return curation.Run().ToJson();
      }) {
  const auto& config = context.config();
  readiness_ = std::make_unique<ops::ReadinessProbe>(SourceFromConfig(context), context.lake_root(),
                                                     config.GetPath("metadata.path"));
  if (const auto url = context.secrets().Get("alarms.webhook_url"); url && !url->empty()) {
    webhook_ = std::make_unique<ops::WebhookNotifier>(ops::WebhookOptions{
        .url = *url,
        .max_attempts = static_cast<int>(config.GetInt("alarms.webhook_attempts")),
        .first_backoff = std::chrono::milliseconds(config.GetInt("alarms.webhook_backoff_ms"))});
  }
  alarms_ = std::make_unique<ops::AlarmEngine>(
      config.GetPath("metadata.path"), ops::AlarmRulesFromSettings(AlarmSettingsFromConfig(config)),
      [this] { return Observe(); },
      [this, &auth](const ops::AlarmTransition& transition) {
        const auto status = transition.status.ToJson();
        auth.Audit({"",
                    "alarm_" + transition.status.state,
                    transition.status.rule,
                    "",
                    {{"from", transition.previous_state},
                     {"value", status["value"]},
                     {"message", transition.status.message}}});
        if (webhook_) {
          webhook_->Send({{"event", "alarm_state_changed"},
                          {"from", transition.previous_state},
                          {"alarm", status}});
        }
      },
      ops::UnixMillisNow());
  ops_metrics_ =
      std::make_unique<ops::OpsMetrics>(registry_, context.lake_root(), runs_, alarms_.get());
}

InstalledOps::~InstalledOps() {
  // The alarm thread notifies into the webhook: stop it first.
  if (alarms_) alarms_->Stop();
}

ops::AlarmObservation InstalledOps::Observe() {
  ops::AlarmObservation observation;
  const auto signals =
      ops::ReadLakeSignals(context_.lake_root(), ops::UnixMillisNow() * 1000, false);
  if (signals.replication.contains("tables")) {
    for (const auto& table : signals.replication["tables"]) {
      if (table.contains("source_lag_seconds") && table["source_lag_seconds"].is_number()) {
        observation.replication_lag_seconds[table.value("table", "")] =
            table["source_lag_seconds"].get<double>();
      }
    }
  }
  for (const auto& table : signals.curated) {
    if (table.quality) observation.data_quality[table.table] = *table.quality;
  }
  observation.http = http_metrics_.CurrentTotals();
  observation.last_pipeline_run = runs_.LastFinished();
  return observation;
}

void InstalledOps::AddRoutes(api::RouteTable& routes, auth::AuthService& auth) {
  api::AddOpsRoutes(routes, auth,
                    api::OpsRouteParts{
                        .lake_root = context_.lake_root(),
                        .registry = &registry_,
                        .metrics = ops_metrics_.get(),
                        .metrics_public = context_.config().GetBool("server.metrics_public"),
                        .readiness = readiness_.get(),
                        .pipeline_runs = &runs_,
                        .pipeline_runner = &runner_,
                        .alarms = alarms_.get(),
                    });
}

void InstalledOps::StartAlarms() {
  alarms_->Start(std::chrono::seconds(context_.config().GetInt("alarms.interval_seconds")));
}

}  // namespace futureim::cli
