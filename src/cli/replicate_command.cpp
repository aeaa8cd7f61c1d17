// futureim replicate: full load, then change data capture into the raw tier.

#include <iostream>

#include "cli/command_context.h"
#include "cli/replication_options_from_config.h"
#include "cli/stop_signal.h"
#include "replicate/replication_checkpoint.h"
#include "replicate/replication_task.h"

namespace futureim::cli {
namespace {

struct ReplicateFlags {
  bool resnapshot = false;
  bool until_caught_up = false;
  bool stop_after_load = false;
};

void PrintSummary(const lake::RawTierLayout& layout) {
  const auto state = replicate::ReplicationCheckpoint::Open(layout).State();
  std::cout << "replication: commit " << state.commit << ", position "
            << (state.position ? replicate::FormatBinlogPosition(*state.position) : "-") << "\n";
  for (const auto& [name, table] : state.tables) {
    const auto& n = table.counters;
    std::cout << "  " << name << ": " << replicate::TableStateName(table.state) << ", "
              << n.rows_loaded << " loaded, " << n.inserts << " inserted, " << n.updates
              << " updated, " << n.deletes << " deleted\n";
  }
  if (state.zero_dates > 0) {
    std::cout << "  warning: " << state.zero_dates << " zero dates stored as NULL\n";
  }
}

int RunReplicate(CommandContext& context, const ReplicateFlags& flags) {
  auto options = ReplicationOptionsFromConfig(context);
  if (flags.resnapshot) {
    replicate::ReplicationTask::Resnapshot(options.layout);
    std::cout << "replication state and raw files removed; the next run loads every table "
                 "from a fresh snapshot\n";
    if (!flags.until_caught_up && !flags.stop_after_load) return kExitOk;
  }
  options.stop_when_caught_up = flags.until_caught_up;
  options.stop_after_load = flags.stop_after_load;
  const std::atomic<bool>& stop = InstallStopSignalHandlers();
  replicate::ReplicationTask task(std::move(options), stop);
  task.Run();
  PrintSummary(ReplicationOptionsFromConfig(context).layout);
  return kExitOk;
}

}  // namespace

void AddReplicateCommand(CLI::App& app, CommandContext& context) {
  auto flags = std::make_shared<ReplicateFlags>();
  auto* command = app.add_subcommand(
      "replicate",
      "Full load of the selected tables, then change data capture into the raw tier, until "
      "stopped (SIGINT/SIGTERM finish the current transaction and commit)");
  command->add_flag("--resnapshot", flags->resnapshot,
                    "Forget what was replicated and load every table again (the fix for a "
                    "purged binlog position)");
  command->add_flag("--until-caught-up", flags->until_caught_up,
                    "Exit once the lake has every change the source had (one-shot runs)");
  command->add_flag("--stop-after-load", flags->stop_after_load, "Exit once the full load is done");
  command->callback([&context, flags] {
    context.run = [&context, flags] { return RunReplicate(context, *flags); };
  });
}

}  // namespace futureim::cli
