// futureim verify: the source versus the lake's current state, table by table.

#include <iostream>

#include "cli/command_context.h"
#include "cli/replication_options_from_config.h"
#include "replicate/replication_verifier.h"

namespace futureim::cli {
namespace {

struct VerifyFlags {
  bool json = false;
  int wait_seconds = 30;
  size_t max_keys = 20;
};

void PrintReport(const replicate::VerificationReport& report) {
  std::cout << "source at " << report.source_position << ", lake at " << report.lake_position
            << (report.lake_caught_up ? "" : "  (the lake had not caught up: run replicate)")
            << "\n";
  for (const auto& t : report.tables) {
    std::cout << (t.ok() ? "  ok        " : "  MISMATCH  ") << t.table;
    if (!t.error.empty()) {
      std::cout << ": " << t.error << "\n";
      continue;
    }
    std::cout << ": source " << t.source_rows << " rows, lake " << t.lake_rows << " rows";
    if (!t.ok()) {
      std::cout << "; " << t.missing_in_lake << " missing in the lake, " << t.extra_in_lake
                << " extra, " << t.different << " different";
    }
    std::cout << "\n";
    for (const auto& key : t.mismatched_keys) std::cout << "      " << key << "\n";
  }
  std::cout << (report.ok() ? "verify: the lake equals the source\n"
                            : "verify: differences found\n");
}

}  // namespace

void AddVerifyCommand(CLI::App& app, CommandContext& context) {
  auto flags = std::make_shared<VerifyFlags>();
  auto* command = app.add_subcommand(
      "verify",
      "Compare the source with the lake's current state per table: row counts, content "
      "checksums and the keys that differ. Exit 1 on any difference.");
  command->add_flag("--json", flags->json, "Print the report as JSON");
  command
      ->add_option("--wait", flags->wait_seconds,
                   "Seconds to wait for the lake to catch up with the source")
      ->check(CLI::Range(0, 3600));
  command->add_option("--max-keys", flags->max_keys, "Mismatching keys listed per table");
  command->callback([&context, flags] {
    context.run = [&context, flags] {
      const auto options = ReplicationOptionsFromConfig(context);
      const auto report = replicate::ReplicationVerifier(options).Verify(
          std::chrono::seconds(flags->wait_seconds), flags->max_keys);
      if (flags->json) {
        std::cout << report.ToJson().dump(2) << "\n";
      } else {
        PrintReport(report);
      }
      return report.ok() ? kExitOk : kExitError;
    };
  });
}

}  // namespace futureim::cli
