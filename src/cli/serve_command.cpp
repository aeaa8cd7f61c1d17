// futureim serve: the long-running parts of the product in one process —
// replication (continuous CDC), the scheduled pipeline and the HTTP API.
// With no part flag every part runs; --api, --replicate and --pipeline pick
// any subset (e.g. the API in one process, replication in another).
//
// Startup: the configuration of every chosen part is read first (a bad
// setting stops serve before anything runs, with the message saying what to
// fix); the API binds its address (a taken port is also fatal); then the
// background parts start on their own threads, each a SupervisedPart: a part
// that fails while running (source unreachable, access denied, a failed
// pipeline run) is logged and retried with backoff, and never takes the API
// or the other parts down.
//
// Shutdown (SIGTERM/SIGINT), in this order:
//   1. the signal sets the stop flag, which every part watches: replication
//      finishes the transaction it is applying and commits its position;
//      the schedule starts no new pipeline run (a run in progress completes
//      and publishes atomically — a kill would leave the previous run current);
//   2. the API stops accepting, lets requests in flight finish (up to
//      server.drain_seconds), then joins its worker pool;
//   3. the pipeline part is joined, then replication (whose metrics the API's
//      routes may read until step 2 is done);
//   4. exit 0.

#include <charconv>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "api/api_gateway.h"
#include "api/area_routes.h"
#include "api/http_server.h"
#include "api/static_files.h"
#include "cli/auth_from_config.h"
#include "cli/command_context.h"
#include "cli/configured_pipeline.h"
#include "cli/installed_ops.h"
#include "cli/replication_options_from_config.h"
#include "cli/stop_signal.h"
#include "cli/supervised_part.h"
#include "core/error.h"
#include "core/log.h"
#include "lake/raw_tier_layout.h"
#include "pipeline/curated_tier_health.h"
#include "query/query_runner.h"
#include "replicate/replication_task.h"

namespace futureim::cli {
namespace {

struct ServeOptions {
  bool api = false;
  bool replicate = false;
  bool pipeline = false;
  std::string listen;  // empty: server.listen

  // No part flag: every part.
  bool AllParts() const { return !api && !replicate && !pipeline; }
  bool RunsApi() const { return api || AllParts(); }
  bool RunsReplication() const { return replicate || AllParts(); }
  bool RunsPipeline() const { return pipeline || AllParts(); }
};

// "127.0.0.1:8080" or "[::1]:8080" -> host, port.
std::pair<std::string, uint16_t> ParseListen(const std::string& listen) {
  const size_t colon = listen.rfind(':');
  std::string host = colon == std::string::npos ? "" : listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  unsigned port = 0;
  const char* begin = colon == std::string::npos ? nullptr : listen.data() + colon + 1;
  const char* end = listen.data() + listen.size();
  if (host.empty() || !begin || std::from_chars(begin, end, port).ptr != end || port > 65535) {
    throw core::Error("server.listen: expected HOST:PORT (e.g. 127.0.0.1:8080), got '" + listen +
                      "'");
  }
  return {host, static_cast<uint16_t>(port)};
}

api::HttpServerOptions ServerOptions(const core::Config& config, const std::string& listen) {
  api::HttpServerOptions options;
  std::tie(options.host, options.port) = ParseListen(listen);
  options.io_threads = static_cast<int>(config.GetInt("server.io_threads"));
  options.max_header_bytes = static_cast<size_t>(config.GetInt("server.max_header_bytes"));
  options.max_body_bytes = static_cast<size_t>(config.GetInt("server.max_body_bytes"));
  options.read_timeout_seconds = static_cast<int>(config.GetInt("server.read_timeout_seconds"));
  options.drain_seconds = static_cast<int>(config.GetInt("server.drain_seconds"));
  if (!config.GetString("server.tls_cert").empty()) {
    options.tls_certificate = config.GetPath("server.tls_cert");
  }
  if (!config.GetString("server.tls_key_path").empty()) {
    options.tls_private_key = config.GetPath("server.tls_key_path");
  }
  return options;
}

api::GatewayOptions GatewayOptionsFromConfig(const core::Config& config) {
  api::GatewayOptions options;
  options.cors_origins = config.GetList("server.cors_origins");
  options.ip_per_minute = config.GetInt("server.rate_limit_ip_per_minute");
  options.user_per_minute = config.GetInt("server.rate_limit_user_per_minute");
  options.credential_ip_per_minute = config.GetInt("auth.login_ip_per_minute");
  options.worker_threads = static_cast<int>(config.GetInt("server.worker_threads"));
  options.max_queued_jobs = static_cast<size_t>(config.GetInt("server.max_queued_jobs"));
  return options;
}

// The pipeline schedule: a run now (as soon as replication has written its
// first manifest), then one every `interval` counted from the start of the
// previous run; a run longer than the interval is followed by the next one
// at once. Runs never overlap: this loop is the only caller in the process
// (and the curation lock guards against other processes). A failed run
// throws, and the SupervisedPart retries the schedule with backoff.
void RunPipelineSchedule(const ConfiguredPipeline& steps, const lake::RawTierLayout& raw,
                         std::chrono::seconds interval, const std::function<void()>& after_run,
                         const std::atomic<bool>& stop) {
  using Clock = std::chrono::steady_clock;
  bool waiting_logged = false;
  auto next = Clock::now();
  while (SleepUnlessStopped(next, stop)) {
    if (!std::filesystem::exists(raw.ManifestPath())) {
      if (!waiting_logged) core::log::Info("pipeline_waiting_for_replication");
      waiting_logged = true;
      next = Clock::now() + std::min<std::chrono::seconds>(interval, std::chrono::seconds(1));
      continue;
    }
    next = Clock::now() + interval;
    const auto report = steps.Run();
    const auto& curation = report.curation;
    core::log::Info("pipeline_run", {{"run_id", curation.run_id},
                                     {"up_to_date", curation.up_to_date},
                                     {"raw_commit", curation.raw_commit},
                                     {"tables", curation.tables.size()},
                                     {"seconds", curation.seconds},
                                     {"systems", report.systems.json.size()},
                                     {"systems_failed", report.systems.failed}});
    after_run();
  }
}

std::vector<std::string> PartNames(const ServeOptions& options) {
  std::vector<std::string> parts;
  if (options.RunsReplication()) parts.push_back("replication");
  if (options.RunsPipeline()) parts.push_back("pipeline");
  if (options.RunsApi()) parts.push_back("api");
  return parts;
}

int RunServe(CommandContext& context, const ServeOptions& options) {
  const auto& config = context.config();
  const std::atomic<bool>& stop = InstallStopSignalHandlers();
  const auto lake_root = context.lake_root();
  if (!std::filesystem::is_directory(lake_root)) {
    throw core::Error("no lake at " + lake_root.string() + ": run `futureim init`");
  }
  const std::chrono::seconds interval(config.GetInt("pipeline.interval_seconds"));

  // 1. Every chosen part's configuration, before anything runs.
  std::optional<replicate::ReplicationTask> replication;
  if (options.RunsReplication()) replication.emplace(ReplicationOptionsFromConfig(context), stop);
  std::optional<ConfiguredPipeline> scheduled_pipeline;
  if (options.RunsPipeline()) scheduled_pipeline.emplace(context);

  std::optional<InstalledAuth> installed;
  // Operations: /ready, /metrics, /ops/*, the per-route request counters and
  // the alarm engine (its thread stops when `ops` goes, after the server).
  std::optional<InstalledOps> ops;
  std::optional<query::QueryRunner> query_runner;
  // GET /data/health's body: computed when the API starts, then after every
  // pipeline run (or every 10 s when the pipeline runs in another process).
  api::PrecomputedJson data_health("{}");
  std::optional<api::RouteTable> routes;
  std::optional<api::ApiGateway> gateway;
  std::optional<api::HttpServer> server;
  std::string url;
  const auto web_root = config.GetString("server.web_root").empty()
                            ? std::filesystem::path(FUTUREIM_WEB_DIST)
                            : config.GetPath("server.web_root");
  if (options.RunsApi()) {
    installed.emplace(context);
    query::QueryDatabaseOptions database;
    database.memory_limit = config.GetString("query.memory_limit");
    // The curated and prod tiers are encrypted: without the key their views
    // would be skipped and /query and /copilot could not read them.
    database.lake_key = context.secrets().Get("lake.encryption_key").value_or("");
    query_runner.emplace(lake_root, database);
    data_health.Set(pipeline::CuratedTierHealth(lake_root).dump());

    routes.emplace();
    api::AddSystemRoutes(*routes, FUTUREIM_VERSION);
    api::AddAuthRoutes(*routes, installed->service());
    api::AddAdminRoutes(*routes, installed->service());
    api::AddQueryRoutes(*routes, *query_runner, installed->service(),
                        {config.GetInt("query.max_rows"), config.GetInt("query.timeout_seconds")});
    api::AddDataRoutes(*routes, data_health);
    api::AddComplianceRoutes(*routes, *query_runner, installed->service(), config);
    api::AddCopilotRoutes(*routes, *query_runner, installed->service(),
                          config.GetPath("metadata.path"));
    ops.emplace(context, installed->service());
    ops->AddRoutes(*routes, installed->service());

    // 2. The API binds (a taken port or unreadable TLS files stop serve here).
    // The dashboard (web/dist unless server.web_root says otherwise); without
    // a built app the API still serves.
    auto gateway_options = GatewayOptionsFromConfig(config);
    gateway_options.metrics = &ops->http_metrics();
    if (std::filesystem::is_directory(web_root)) {
      gateway_options.static_files = std::make_shared<api::StaticFiles>(web_root);
    }
    gateway.emplace(*routes, installed->service(), std::move(gateway_options));
    const std::string listen =
        options.listen.empty() ? config.GetString("server.listen") : options.listen;
    server.emplace(ServerOptions(config, listen), *gateway);
    server->Start();
    const std::string host = ParseListen(listen).first;
    url = std::string(server->tls() ? "https" : "http") + "://" +
          (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" +
          std::to_string(server->port());
    ops->StartAlarms();
  }

  // 3. The background parts, each on its own supervised thread.
  std::vector<std::unique_ptr<SupervisedPart>> parts;
  if (replication) {
    parts.push_back(std::make_unique<SupervisedPart>(
        "replication", [&replication] { replication->Run(); }, stop));
  }
  if (scheduled_pipeline) {
    const lake::RawTierLayout raw(lake_root);
    // A finished run is visible to the API at once (otherwise the query
    // routes rebuild their views when they are 10 s old).
    const auto refresh_views = [&query_runner, &data_health, lake_root] {
      if (!query_runner) return;
      query_runner->Refresh();
      data_health.Set(pipeline::CuratedTierHealth(lake_root).dump());
    };
    parts.push_back(std::make_unique<SupervisedPart>(
        "pipeline",
        [&scheduled_pipeline, raw, interval, refresh_views, &stop] {
          RunPipelineSchedule(*scheduled_pipeline, raw, interval, refresh_views, stop);
        },
        stop));
  } else if (query_runner) {
    parts.push_back(std::make_unique<SupervisedPart>(
        "data_health",
        [&data_health, lake_root, &stop] {
          while (SleepUnlessStopped(std::chrono::steady_clock::now() + std::chrono::seconds(10),
                                    stop)) {
            data_health.Set(pipeline::CuratedTierHealth(lake_root).dump());
          }
        },
        stop));
  }

  const auto names = PartNames(options);
  std::string listed;
  for (const auto& name : names) listed += (listed.empty() ? "" : ", ") + name;
  if (server) {
    std::cout << "futureim serve: API at " << url << " (" << routes->routes().size() << " routes, "
              << url << "/openapi.json); ";
  } else {
    std::cout << "futureim serve: ";
  }
  std::cout << "running " << listed;
  if (scheduled_pipeline) std::cout << " (pipeline every " << interval.count() << " s)";
  std::cout << "; SIGTERM or Ctrl-C stops" << std::endl;
  if (server) {
    std::cout << "futureim serve: dashboard "
              << (std::filesystem::is_directory(web_root)
                      ? "at " + url + "/"
                      : "not built (" + web_root.string() + ": npm run build in web/)")
              << std::endl;
  }
  core::log::Info("serve_started", {{"url", url}, {"parts", names}});

  while (!stop.load()) std::this_thread::sleep_for(std::chrono::milliseconds(100));

  // The shutdown order of the header comment: the stop flag is already set.
  core::log::Info("serve_stopping");
  if (server) {
    server->Shutdown();      // stop accepting; requests in flight finish
    gateway->JoinWorkers();  // jobs still on the pool answer into the stopped server
  }
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) (*it)->Join();
  core::log::Info("serve_stopped");
  std::cout << "futureim serve: stopped" << std::endl;
  return kExitOk;
}

}  // namespace

void AddServeCommand(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<ServeOptions>();
  auto* command = app.add_subcommand(
      "serve",
      "Run the long-running parts in one process until SIGTERM/SIGINT: replication (continuous "
      "change data capture), the pipeline every pipeline.interval_seconds, and the HTTP API. "
      "With no part flag, every part runs; the flags pick any subset.");
  command->add_flag("--api", options->api,
                    "Run the HTTP API (auth, admin, query, health, openapi) on server.listen");
  command->add_flag("--replicate", options->replicate,
                    "Run replication: full load of new tables, then change data capture");
  command->add_flag("--pipeline", options->pipeline,
                    "Run the pipeline now and every pipeline.interval_seconds (one run at a time)");
  command->add_option("--listen", options->listen,
                      "HOST:PORT to listen on, instead of server.listen (port 0: any free port)");
  command->callback([&context, options] {
    context.run = [&context, options] { return RunServe(context, *options); };
  });
}

}  // namespace futureim::cli
