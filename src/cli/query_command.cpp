// futureim query: read-only SQL over the lake's views (src/query/).

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <vector>

#include "cli/command_context.h"
#include "core/error.h"
#include "core/log.h"
#include "query/query_error.h"
#include "query/query_runner.h"
#include "query/result_format.h"

namespace futureim::cli {
namespace {

struct QueryOptions {
  std::string sql;
  std::string format = "table";
  std::optional<uint64_t> max_rows;
  std::optional<double> timeout_seconds;
  uint32_t repeat = 1;
};

// The p-th percentile (0..100) of sorted durations, nearest rank.
double PercentileMs(const std::vector<double>& sorted_ms, double p) {
  const size_t rank =
      static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted_ms.size())));
  return sorted_ms[std::max<size_t>(rank, 1) - 1];
}

// --repeat: runs the query again and again on the same views and reports the
// latency a long-running process (the API) sees, without process start-up
// and view creation, which are reported apart.
void ReportLatency(const query::QueryRunner& runner, const std::string& sql,
                   const query::QueryLimits& limits, uint32_t repeat, double setup_ms) {
  std::vector<double> ms;
  for (uint32_t i = 0; i < repeat; ++i) {
    const auto result = runner.Run(sql, limits);
    ms.push_back(static_cast<double>(result.elapsed.count()) / 1000.0);
  }
  const double first = ms.front();
  std::sort(ms.begin(), ms.end());
  char line[256];
  std::snprintf(line, sizeof line,
                "latency over %u runs: p50 %.1f ms, p95 %.1f ms, min %.1f ms, max %.1f ms, "
                "first %.1f ms (views built in %.1f ms)\n",
                repeat, PercentileMs(ms, 50), PercentileMs(ms, 95), ms.front(), ms.back(), first,
                setup_ms);
  std::cerr << line;
}

int RunQuery(CommandContext& context, const QueryOptions& options) {
  const auto& config = context.config();
  const auto format = query::ParseResultFormat(options.format);
  if (!format) {
    std::cerr << "futureim query: --format must be table, csv or json\n";
    return kExitUsage;
  }
  query::QueryLimits limits;
  limits.max_rows =
      options.max_rows.value_or(static_cast<uint64_t>(config.GetInt("query.max_rows")));
  const double seconds =
      options.timeout_seconds.value_or(static_cast<double>(config.GetInt("query.timeout_seconds")));
  limits.timeout = std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));

  const auto lake_root = context.lake_root();
  if (!std::filesystem::is_directory(lake_root)) {
    throw core::Error("no lake at " + lake_root.string() + ": run `futureim init`");
  }
  query::QueryDatabaseOptions database;
  database.memory_limit = config.GetString("query.memory_limit");
  database.lake_key = context.secrets().Get("lake.encryption_key").value_or("");
  const auto setup_start = std::chrono::steady_clock::now();
  const query::QueryRunner runner(lake_root, database);
  const double setup_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - setup_start)
          .count();
  for (const auto& skipped : runner.Catalog().skipped) {
    core::log::Debug("query.view_skipped", {{"view", skipped}});
  }
  try {
    const auto result = runner.Run(options.sql, limits);
    std::cout << query::Format(result, *format);
    if (options.repeat > 1) ReportLatency(runner, options.sql, limits, options.repeat, setup_ms);
    if (result.truncated && *format != query::ResultFormat::kTable) {
      std::cerr << "futureim query: result truncated at " << limits.max_rows
                << " rows (--max-rows)\n";
    }
    return kExitOk;
  } catch (const query::QueryError& e) {
    std::cerr << "futureim query: " << e.what() << "\n";
    return kExitError;
  }
}

}  // namespace

void AddQueryCommand(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<QueryOptions>();
  auto* command = app.add_subcommand(
      "query",
      "Run one read-only SQL query over the lake's views (raw.*, raw_current.*, curated.*, "
      "<system>.*).");
  command->add_option("sql", options->sql, "The query: SELECT, WITH … SELECT, VALUES, DESCRIBE…")
      ->required();
  command->add_option("--format", options->format, "table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}));
  command
      ->add_option("--max-rows", options->max_rows,
                   "Rows returned at most (default: query.max_rows)")
      ->check(CLI::PositiveNumber);
  command
      ->add_option("--timeout", options->timeout_seconds,
                   "Time limit in seconds (default: query.timeout_seconds)")
      ->check(CLI::PositiveNumber);
  command
      ->add_option("--repeat", options->repeat,
                   "Run the query N more times and print its latency (p50, p95) to stderr")
      ->check(CLI::Range(1u, 100000u));
  command->callback([&context, options] {
    context.run = [&context, options] { return RunQuery(context, *options); };
  });
}

}  // namespace futureim::cli
