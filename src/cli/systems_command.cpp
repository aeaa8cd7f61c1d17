// futureim systems: list the analytics systems, run one (or all) on the
// current curated data.

#include <iostream>

#include "cli/command_context.h"
#include "cli/pipeline_options_from_config.h"
#include "cli/systems_report.h"
#include "core/error.h"
#include "systems/system_registry.h"

namespace futureim::cli {
namespace {

struct SystemsFlags {
  std::string name;
  bool json = false;
};

int ListSystems(const SystemsFlags& flags) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& system : systems::AllSystems()) {
    list.push_back({{"name", std::string(system->Name())},
                    {"slug", std::string(system->Slug())},
                    {"title", std::string(system->Title())}});
    if (!flags.json) {
      std::cout << system->Name() << "  (" << system->Title() << ", routes under /"
                << system->Slug() << "/)\n";
    }
  }
  if (flags.json) std::cout << list.dump(2) << "\n";
  return kExitOk;
}

int RunNamedSystems(CommandContext& context, const SystemsFlags& flags) {
  std::vector<std::unique_ptr<systems::AnalyticsSystem>> chosen;
  if (flags.name == "all") {
    chosen = systems::AllSystems();
  } else if (auto system = systems::FindSystem(flags.name)) {
    chosen.push_back(std::move(system));
  } else {
    std::string known;
    for (const auto& each : systems::AllSystems()) known += " " + std::string(each->Name());
    throw core::Error("unknown system '" + flags.name + "'; the systems are:" +
                      (known.empty() ? " (none in this build)" : known) + ", or all");
  }
  const SystemsOutcome outcome = RunSystems(chosen, SystemRunOptionsFromConfig(context),
                                            context.config(), flags.json ? nullptr : &std::cout);
  if (flags.json) std::cout << outcome.json.dump(2) << "\n";
  return outcome.failed ? kExitError : kExitOk;
}

}  // namespace

void AddSystemsCommand(CLI::App& app, CommandContext& context) {
  auto* command = app.add_subcommand("systems", "The analytics systems (curated → prod)");
  command->require_subcommand(1);
  auto flags = std::make_shared<SystemsFlags>();
  auto* list = command->add_subcommand("list", "List the analytics systems of this build");
  list->add_flag("--json", flags->json, "Print the list as JSON");
  list->callback([&context, flags] { context.run = [flags] { return ListSystems(*flags); }; });
  auto* run = command->add_subcommand(
      "run",
      "Run one system (by name or API slug), or all, on the current curated data: a new "
      "run of its prod tables, published atomically");
  run->add_option("system", flags->name, "System name or slug, or `all`")->required();
  run->add_flag("--json", flags->json, "Print the runs' reports as JSON");
  run->callback([&context, flags] {
    context.run = [&context, flags] { return RunNamedSystems(context, *flags); };
  });
}

}  // namespace futureim::cli
