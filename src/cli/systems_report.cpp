#include "cli/systems_report.h"

#include <cstdio>

#include "core/error.h"
#include "core/log.h"

namespace futureim::cli {

SystemsOutcome RunSystems(const std::vector<std::unique_ptr<systems::AnalyticsSystem>>& list,
                          const systems::SystemRunOptions& options, const core::Config& config,
                          std::ostream* text) {
  SystemsOutcome outcome;
  const systems::SystemRunner runner(options, config);
  for (const auto& system : list) {
    try {
      const auto report = runner.Run(*system);
      outcome.json.push_back(report.ToJson());
      if (text) {
        char line[160];
        std::snprintf(line, sizeof line, "%s: run %s, %.1f s\n", report.system.c_str(),
                      report.run_id.c_str(), report.seconds);
        *text << line;
        for (const auto& table : report.tables) {
          std::snprintf(line, sizeof line, "  %-32s %10llu rows\n", table.table.c_str(),
                        static_cast<unsigned long long>(table.rows));
          *text << line;
        }
        if (!report.metrics.empty()) *text << "  metrics: " << report.metrics.dump() << "\n";
      }
    } catch (const systems::SystemSkipped& e) {
      outcome.json.push_back({{"system", std::string(system->Name())}, {"skipped", e.what()}});
      core::log::Warn("system_run_skipped",
                      {{"system", std::string(system->Name())}, {"reason", e.what()}});
      if (text) *text << e.what() << "\n";
    } catch (const std::exception& e) {
      // core::Error and the models' std::invalid_argument/runtime_error carry
      // messages for people; anything else is still reported, not fatal to
      // the other systems.
      outcome.failed = true;
      outcome.json.push_back({{"system", std::string(system->Name())}, {"error", e.what()}});
      core::log::Error("system_run_failed",
                       {{"system", std::string(system->Name())}, {"error", e.what()}});
      if (text) *text << system->Name() << ": FAILED: " << e.what() << "\n";
    }
  }
  return outcome;
}

}  // namespace futureim::cli
