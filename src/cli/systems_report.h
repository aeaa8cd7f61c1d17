#pragma once

#include <memory>
#include <ostream>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/config.h"
#include "systems/analytics_system.h"
#include "systems/system_runner.h"

namespace futureim::cli {

struct SystemsOutcome {
  nlohmann::json json = nlohmann::json::array();  // one object per system
  bool failed = false;                            // at least one system failed
};

// Runs each system in order. A failing system is reported (with its error)
// and leaves its previous run current; the others still run. A system whose
// curated tables are missing is reported as skipped, which is not a failure. With `text`,
// prints a table per system as it finishes.
SystemsOutcome RunSystems(const std::vector<std::unique_ptr<systems::AnalyticsSystem>>& list,
                          const systems::SystemRunOptions& options, const core::Config& config,
                          std::ostream* text);

}  // namespace futureim::cli
