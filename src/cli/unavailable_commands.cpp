// Subcommands whose capabilities have not landed yet. Each says so and exits
// with kExitUnavailable; none prints made-up output. Remove an entry when its
// capability lands and gets a real command.

#include <array>
#include <iostream>

#include "cli/command_context.h"

namespace futureim::cli {
namespace {

struct PendingCommand {
  const char* name;
  const char* description;
};

constexpr std::array kPending = {
    PendingCommand{"systems", "Run one analytics system"},
};

}  // namespace

void AddUnavailableCommands(CLI::App& app, CommandContext& context) {
  for (const auto& pending : kPending) {
    auto* command = app.add_subcommand(
        pending.name, std::string(pending.description) + " (not yet available in this build)");
    command->allow_extras();
    command->callback([&context, name = pending.name] {
      context.run = [name] {
        std::cerr << "futureim " << name << ": not yet available in this build\n";
        return kExitUnavailable;
      };
    });
  }
}

}  // namespace futureim::cli
