// futureim copilot ask: a question in plain language answered from the lake
// by the Retail Copilot (src/systems/copilot/), offline.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <regex>

#include "cli/command_context.h"
#include "core/civil_date.h"
#include "core/error.h"
#include "query/query_runner.h"
#include "query/result_format.h"
#include "systems/copilot/retail_copilot.h"

namespace futureim::cli {
namespace {

struct CopilotAskOptions {
  std::vector<std::string> questions;
  std::string today;  // YYYY-MM-DD; empty: today (UTC)
  bool json = false;
  uint32_t repeat = 1;
};

int64_t ParseDay(const std::string& text) {
  std::smatch m;
  if (!std::regex_match(text, m, std::regex(R"((\d{4})-(\d{2})-(\d{2}))"))) {
    throw core::Error("--today: expected YYYY-MM-DD, got '" + text + "'");
  }
  return core::DaysFromCivil({std::stoi(m[1]), std::stoi(m[2]), std::stoi(m[3])});
}

int RunCopilotAsk(CommandContext& context, const CopilotAskOptions& options) {
  const auto lake_root = context.lake_root();
  if (!std::filesystem::is_directory(lake_root)) {
    throw core::Error("no lake at " + lake_root.string() + ": run `futureim init`");
  }
  query::QueryDatabaseOptions database;
  database.memory_limit = context.config().GetString("query.memory_limit");
  database.lake_key = context.secrets().Get("lake.encryption_key").value_or("");
  const query::QueryRunner runner(lake_root, database);
  const auto start = std::chrono::steady_clock::now();
  const systems::copilot::RetailCopilot copilot(runner);
  const double setup_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  const int64_t today = options.today.empty()
                            ? std::chrono::duration_cast<std::chrono::days>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count()
                            : ParseDay(options.today);
  // Each question after the first is a follow-up of the one before.
  std::optional<systems::copilot::SemanticPlan> previous;
  std::vector<double> ms;
  for (const auto& question : options.questions) {
    systems::copilot::CopilotReply reply;
    for (uint32_t i = 0; i < options.repeat; ++i) {
      const auto begin = std::chrono::steady_clock::now();
      reply = copilot.Answer(question, previous, today);
      ms.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - begin)
              .count());
    }
    previous = reply.plan;
    if (options.json) {
      std::cout << reply.ToJson().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                << "\n";
    } else {
      std::cout << "> " << question << "\n" << reply.text << "\n";
      if (!reply.sql.empty()) std::cout << "SQL: " << reply.sql << "\n";
      if (reply.kind == "answer") std::cout << query::FormatAsTable(reply.result);
      std::cout << "\n";
    }
  }
  if (options.repeat > 1 || options.questions.size() > 1) {
    std::sort(ms.begin(), ms.end());
    const auto percentile = [&](double p) {
      const size_t rank =
          static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(ms.size())));
      return ms[std::max<size_t>(rank, 1) - 1];
    };
    char line[256];
    std::snprintf(line, sizeof line,
                  "answer time over %zu answers: p50 %.1f ms, p95 %.1f ms, max %.1f ms "
                  "(copilot started in %.1f ms)\n",
                  ms.size(), percentile(50), percentile(95), ms.back(), setup_ms);
    std::cerr << line;
  }
  return kExitOk;
}

}  // namespace

void AddCopilotCommand(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<CopilotAskOptions>();
  auto* copilot = app.add_subcommand("copilot", "The Retail Copilot: questions in plain language");
  copilot->require_subcommand(1);
  auto* ask = copilot->add_subcommand(
      "ask", "Answer questions from the lake (each one after the first is a follow-up)");
  ask->add_option("questions", options->questions, "\"revenue by country last month\" ...")
      ->required();
  ask->add_option("--today", options->today,
                  "YYYY-MM-DD the questions are asked on (default: today, UTC)");
  ask->add_flag("--json", options->json, "One JSON answer per line (answer, sql, rows, plan)");
  ask->add_option("--repeat", options->repeat,
                  "Answer each question N times and print p50/p95 answer time to stderr")
      ->check(CLI::Range(1u, 100000u));
  ask->callback([&context, options] {
    context.run = [&context, options] { return RunCopilotAsk(context, *options); };
  });
}

}  // namespace futureim::cli
