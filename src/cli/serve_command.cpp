// futureim serve: the long-running parts of the product in one process.
// Today the one part is the API (--api); replication, the pipeline scheduler
// and alarms join as parts (with their own flags) when they land.

#include <charconv>
#include <chrono>
#include <iostream>
#include <memory>
#include <thread>

#include "api/api_gateway.h"
#include "api/area_routes.h"
#include "api/http_server.h"
#include "cli/auth_from_config.h"
#include "cli/command_context.h"
#include "cli/stop_signal.h"
#include "core/error.h"
#include "core/log.h"
#include "query/query_runner.h"

namespace futureim::cli {
namespace {

struct ServeOptions {
  bool api = false;
  std::string listen;  // empty: server.listen
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

int RunServe(CommandContext& context, const ServeOptions& options) {
  const auto& config = context.config();
  const std::atomic<bool>& stop = InstallStopSignalHandlers();
  InstalledAuth installed(context);

  const auto lake_root = context.lake_root();
  if (!std::filesystem::is_directory(lake_root)) {
    throw core::Error("no lake at " + lake_root.string() + ": run `futureim init`");
  }
  query::QueryDatabaseOptions database;
  database.memory_limit = config.GetString("query.memory_limit");
  // The curated and prod tiers are encrypted: without the key their views
  // would be skipped and /query and /copilot could not read them.
  database.lake_key = context.secrets().Get("lake.encryption_key").value_or("");
  query::QueryRunner query_runner(lake_root, database);

  api::RouteTable routes;
  api::AddSystemRoutes(routes, FUTUREIM_VERSION);
  api::AddAuthRoutes(routes, installed.service());
  api::AddAdminRoutes(routes, installed.service());
  api::AddQueryRoutes(routes, query_runner, installed.service(),
                      {config.GetInt("query.max_rows"), config.GetInt("query.timeout_seconds")});
  api::AddCopilotRoutes(routes, query_runner, installed.service(), config.GetPath("metadata.path"));

  api::ApiGateway gateway(routes, installed.service(), GatewayOptionsFromConfig(config));
  const std::string listen =
      options.listen.empty() ? config.GetString("server.listen") : options.listen;
  api::HttpServer server(ServerOptions(config, listen), gateway);
  server.Start();
  const std::string host = ParseListen(listen).first;
  const std::string url = std::string(server.tls() ? "https" : "http") + "://" +
                          (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" +
                          std::to_string(server.port());
  std::cout << "futureim serve: API at " << url << " (" << routes.routes().size() << " routes, "
            << url << "/openapi.json); SIGTERM or Ctrl-C stops" << std::endl;
  core::log::Info("serve_started", {{"url", url}, {"parts", {"api"}}});

  while (!stop.load()) std::this_thread::sleep_for(std::chrono::milliseconds(100));

  core::log::Info("serve_stopping");
  server.Shutdown();      // stop accepting; requests in flight finish
  gateway.JoinWorkers();  // jobs still on the pool answer into the stopped server
  core::log::Info("serve_stopped");
  std::cout << "futureim serve: stopped" << std::endl;
  return kExitOk;
}

}  // namespace

void AddServeCommand(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<ServeOptions>();
  auto* command = app.add_subcommand(
      "serve",
      "Run the long-running parts in one process until SIGTERM/SIGINT. Parts available in this "
      "build: the HTTP API (--api). With no part flag, every available part runs.");
  command->add_flag("--api", options->api,
                    "Run the HTTP API (auth, admin, query, health, openapi) on server.listen");
  command->add_option("--listen", options->listen,
                      "HOST:PORT to listen on, instead of server.listen (port 0: any free port)");
  command->callback([&context, options] {
    context.run = [&context, options] { return RunServe(context, *options); };
  });
}

}  // namespace futureim::cli
