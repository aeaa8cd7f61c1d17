// futureim check-source: can the configured source be replicated, and if not,
// exactly what to change on the server (SPEC.md §2 "Source check").

#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/command_context.h"
#include "source/source_check.h"
#include "source/source_config.h"

namespace futureim::cli {
namespace {

std::string_view Mark(source::CheckStatus status) {
  switch (status) {
    case source::CheckStatus::kOk:
      return "✓";
    case source::CheckStatus::kWarn:
      return "!";
    case source::CheckStatus::kFail:
      return "✗";
  }
  return "✗";
}

nlohmann::json ToJson(const source::SourceCheckReport& report) {
  nlohmann::json checks = nlohmann::json::array();
  for (const auto& item : report.items) {
    checks.push_back({{"name", item.name},
                      {"status", source::CheckStatusName(item.status)},
                      {"observed", item.observed},
                      {"fix", item.fix}});
  }
  return {
      {"endpoint", report.endpoint}, {"can_replicate", report.CanReplicate()}, {"checks", checks}};
}

// One line per check: mark, name, what was observed and, when not ok, the fix.
void PrintHuman(const source::SourceCheckReport& report) {
  std::cout << "source " << report.endpoint << "\n";
  size_t warnings = 0;
  size_t failures = 0;
  for (const auto& item : report.items) {
    std::string name = item.name;
    name.resize(std::max<size_t>(name.size(), 24), ' ');
    std::cout << "  " << Mark(item.status) << " " << name << item.observed;
    if (!item.fix.empty()) std::cout << "  → fix: " << item.fix;
    std::cout << "\n";
    warnings += item.status == source::CheckStatus::kWarn ? 1 : 0;
    failures += item.status == source::CheckStatus::kFail ? 1 : 0;
  }
  std::cout << report.items.size() << " checks, " << warnings
            << (warnings == 1 ? " warning, " : " warnings, ") << failures
            << (failures == 1 ? " failure: " : " failures: ")
            << (report.CanReplicate() ? "replication can work"
                                      : "replication cannot work until the failures are fixed")
            << "\n";
}

}  // namespace

void AddCheckSourceCommand(CLI::App& app, CommandContext& context) {
  auto* command = app.add_subcommand(
      "check-source",
      "Check that the source server can be replicated: binlog settings, grants, TLS, tables.");
  auto json = std::make_shared<bool>(false);
  command->add_flag("--json", *json, "Machine-readable output");
  command->callback([&context, json] {
    context.run = [&context, json] {
      const auto& config = context.config();
      const source::SourceCheck check(source::EndpointFromConfig(config, context.secrets()),
                                      source::TableFilterFromConfig(config),
                                      config.GetInt("replication.server_id"));
      const auto report = check.Run();
      if (*json) {
        std::cout << ToJson(report).dump(2) << "\n";
      } else {
        PrintHuman(report);
      }
      return report.CanReplicate() ? kExitOk : kExitError;
    };
  });
}

}  // namespace futureim::cli
