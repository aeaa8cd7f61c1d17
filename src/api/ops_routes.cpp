// The operations area (SPEC.md §7): readiness, Prometheus metrics, and the
// analysts' view of replication, pipeline runs, alarms and the catalog.

#include "api/api_error.h"
#include "api/area_routes.h"
#include "catalog/lake_catalog.h"
#include "core/error.h"
#include "lake/tier_layout.h"
#include "replicate/replication_metrics.h"
#include "replicate/replication_status.h"

namespace futureim::api {
namespace {

// An optional query parameter (absent ones may be present as null).
template <typename T>
T QueryValue(const nlohmann::json& query, const char* name, T fallback) {
  const auto found = query.find(name);
  if (found == query.end() || found->is_null()) return fallback;
  return found->get<T>();
}

// A catalog table's summary for the list (no columns or partitions).
nlohmann::json TableSummary(const catalog::CatalogTable& table) {
  nlohmann::json out = {{"tier", table.tier},
                        {"view", table.view},
                        {"name", table.name},
                        {"rows", table.rows},
                        {"files", table.files},
                        {"bytes", table.bytes},
                        {"updated_us", table.updated_us},
                        {"quality_score", nullptr}};
  if (!table.system.empty()) out["system"] = table.system;
  if (!table.schema.empty()) out["schema"] = table.schema;
  if (!table.current_run.empty()) out["current_run"] = table.current_run;
  if (const auto score = table.QualityScore()) out["quality_score"] = *score;
  if (!table.error.empty()) out["error"] = table.error;
  return out;
}

// The stored catalog; a missing one is 404 (run `futureim crawl`), a damaged
// one 500 with the detail in the log.
catalog::LakeCatalog LoadCatalog(const std::filesystem::path& lake_root) {
  auto loaded = catalog::LakeCatalog::Load(lake_root);
  if (!loaded) {
    throw ApiError(404, "no_catalog", "the lake has no catalog yet: run `futureim crawl`");
  }
  return std::move(*loaded);
}

void AddCatalogRoutes(RouteTable& table, const std::filesystem::path& lake_root) {
  table.Add(Route{
      .method = "GET",
      .pattern = "/ops/catalog/tables",
      .summary = "Every table of every lake tier, from the catalog `futureim crawl` keeps",
      .tag = "ops",
      .required = auth::Role::kAnalyst,
      .query = {FieldSpec{.name = "tier",
                          .required = false,
                          .description = "only this tier",
                          .allowed = {"raw", "curated", "prod"}}},
      .handler =
          [lake_root](RequestContext& c) {
            const auto catalog = LoadCatalog(lake_root);
            const std::string tier = QueryValue<std::string>(c.query, "tier", "");
            nlohmann::json tables = nlohmann::json::array();
            for (const auto& t : catalog.tables) {
              if (tier.empty() || t.tier == tier) tables.push_back(TableSummary(t));
            }
            return RouteResponse{
                .body = {{"crawled_at", FormatTimestamp(catalog.crawled_at_us / 1000)},
                         {"tables", std::move(tables)}}};
          },
  });
  table.Add(Route{
      .method = "GET",
      .pattern = "/ops/catalog/tables/{name}",
      .summary = "One catalog table (by view, e.g. curated.orders, or unique folder name): "
                 "columns, partitions, counts, quality",
      .tag = "ops",
      .required = auth::Role::kAnalyst,
      .responses = {200, 404},
      .handler =
          [lake_root](RequestContext& c) {
            const auto catalog = LoadCatalog(lake_root);
            const auto* found = catalog.Find(c.params.at("name"));
            if (!found) {
              throw ApiError(404, "not_found",
                             "no table with that view or (unique) name in the catalog");
            }
            auto body = found->ToJson();
            body["crawled_at"] = FormatTimestamp(catalog.crawled_at_us / 1000);
            return RouteResponse{.body = std::move(body)};
          },
  });
}

void AddPipelineRoutes(RouteTable& table, auth::AuthService& auth, const OpsRouteParts& parts) {
  if (parts.pipeline_runs) {
    auto* runs = parts.pipeline_runs;
    auto* runner = parts.pipeline_runner;
    const auto lake_root = parts.lake_root;
    table.Add(Route{
        .method = "GET",
        .pattern = "/ops/pipeline/runs",
        .summary = "Pipeline runs this installation started (duration, outcome, error) and "
                   "each curated table's current and kept runs",
        .tag = "ops",
        .required = auth::Role::kAnalyst,
        .query = {FieldSpec{.name = "limit",
                            .type = FieldType::kInteger,
                            .required = false,
                            .description = "runs listed at most (newest first; default 20)",
                            .min = 1,
                            .max = 500}},
        .handler =
            [runs, runner, lake_root](RequestContext& c) {
              nlohmann::json list = nlohmann::json::array();
              for (const auto& run : runs->Recent(QueryValue<int64_t>(c.query, "limit", 20))) {
                auto json = run.ToJson();
                json["started_at"] = FormatTimestamp(run.started_ms);
                if (run.finished_ms) json["finished_at"] = FormatTimestamp(*run.finished_ms);
                list.push_back(std::move(json));
              }
              const auto counts = runs->Counts();
              const auto layout = lake::RunTierLayout::Curated(lake_root);
              nlohmann::json tables = nlohmann::json::array();
              for (const auto& t : ops::ReadCuratedTables(lake_root)) {
                nlohmann::json entry = {{"table", t.table},
                                        {"current_run", t.run_id},
                                        {"created_at", t.created_at},
                                        {"rows", t.rows},
                                        {"quarantined", t.quarantined},
                                        {"quality_score", nullptr},
                                        {"runs", layout.Runs(t.table)}};
                if (t.quality) entry["quality_score"] = *t.quality;
                if (!t.error.empty()) entry["error"] = t.error;
                tables.push_back(std::move(entry));
              }
              return RouteResponse{
                  .body = {{"running", runner ? runner->Running() : false},
                           {"counts", {{"succeeded", counts.succeeded}, {"failed", counts.failed}}},
                           {"runs", std::move(list)},
                           {"tables", std::move(tables)}}};
            },
    });
  }
  if (parts.pipeline_runner) {
    auto* runner = parts.pipeline_runner;
    table.Add(Route{
        .method = "POST",
        .pattern = "/ops/pipeline/run",
        .summary = "Run the pipeline now (curation), one run at a time; answers when it ends "
                   "with the run's record (status succeeded or failed)",
        .tag = "ops",
        .required = auth::Role::kAdmin,
        .responses = {200, 409},
        .handler =
            [runner, &auth](RequestContext& c) {
              auto outcome = runner->TryRun("api", c.principal->user_id);
              if (!outcome) {
                auth.Audit({c.principal->user_id,
                            "pipeline_run_refused",
                            "pipeline",
                            c.client_ip,
                            {{"reason", "a run is in progress"}}});
                throw ApiError(409, "pipeline_running",
                               "a pipeline run is in progress; wait for it to finish");
              }
              auto run = outcome->run.ToJson();
              auth.Audit({c.principal->user_id,
                          "pipeline_run",
                          "pipeline",
                          c.client_ip,
                          {{"id", outcome->run.id},
                           {"status", outcome->run.status},
                           {"curation_run", outcome->run.curation_run},
                           {"duration_seconds", run["duration_seconds"]}}});
              return RouteResponse{
                  .body = {{"run", std::move(run)}, {"report", std::move(outcome->report)}}};
            },
    });
  }
}

}  // namespace

void AddOpsRoutes(RouteTable& table, auth::AuthService& auth, OpsRouteParts parts) {
  if (parts.readiness) {
    auto* readiness = parts.readiness;
    table.Add(Route{
        .method = "GET",
        .pattern = "/ready",
        .summary = "Readiness: the source accepts a login, the lake a write, the metadata "
                   "database a query (503 naming the failed checks)",
        .tag = "system",
        .responses = {200, 503},
        .handler =
            [readiness](RequestContext&) {
              const auto result = readiness->Check();
              return RouteResponse{.status = result.Ready() ? 200u : 503u, .body = result.ToJson()};
            },
    });
  }
  if (parts.registry && parts.metrics) {
    auto* registry = parts.registry;
    auto* metrics = parts.metrics;
    table.Add(Route{
        .method = "GET",
        .pattern = "/metrics",
        .summary = "Prometheus metrics (text format 0.0.4): API requests and latency per route, "
                   "replication, pipeline runs, data quality, lake size, alarms",
        .tag = "system",
        .required =
            parts.metrics_public ? std::nullopt : std::optional<auth::Role>(auth::Role::kAdmin),
        .handler =
            [registry, metrics](RequestContext&) {
              metrics->Refresh();
              return RouteResponse{
                  .raw_json = registry->Render(),
                  .headers = {{"Content-Type", "text/plain; version=0.0.4; charset=utf-8"}}};
            },
    });
  }
  const auto lake_root = parts.lake_root;
  table.Add(Route{
      .method = "GET",
      .pattern = "/ops/replication",
      .summary = "Replication status: task phase, lag, throughput and each table's state and "
                 "counters (as `futureim status`)",
      .tag = "ops",
      .required = auth::Role::kAnalyst,
      .handler =
          [lake_root](RequestContext&) {
            return RouteResponse{.body = replicate::ReplicationStatusReport(
                                     lake::RawTierLayout(lake_root), replicate::WallClockMicros())};
          },
  });
  AddPipelineRoutes(table, auth, parts);
  if (parts.alarms) {
    auto* alarms = parts.alarms;
    table.Add(Route{
        .method = "GET",
        .pattern = "/ops/alarms",
        .summary = "Every alarm rule with its state (ok, firing, resolved) and since when",
        .tag = "ops",
        .required = auth::Role::kAnalyst,
        .query = {FieldSpec{.name = "state",
                            .required = false,
                            .description = "only rules in this state",
                            .allowed = {"ok", "firing", "resolved"}}},
        .execution = Execution::kInline,
        .handler =
            [alarms](RequestContext& c) {
              const std::string state = QueryValue<std::string>(c.query, "state", "");
              nlohmann::json list = nlohmann::json::array();
              for (const auto& status : alarms->States()) {
                if (!state.empty() && status.state != state) continue;
                auto json = status.ToJson();
                json["since"] = FormatTimestamp(status.since_ms);
                list.push_back(std::move(json));
              }
              return RouteResponse{.body = {{"alarms", std::move(list)}}};
            },
    });
  }
  AddCatalogRoutes(table, parts.lake_root);
}

}  // namespace futureim::api
