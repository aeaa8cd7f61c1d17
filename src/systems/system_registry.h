#pragma once

// The analytics systems of this build.

#include <memory>
#include <string_view>
#include <vector>

#include "systems/analytics_system.h"

namespace futureim::systems {

// Every system, in pipeline order: a system that reads another's outputs
// (through the lake views) comes after it.
std::vector<std::unique_ptr<AnalyticsSystem>> AllSystems();

// The system with this name ("demand_insights_engine") or slug
// ("demand-insights"); nullptr when there is none.
std::unique_ptr<AnalyticsSystem> FindSystem(std::string_view name_or_slug);

}  // namespace futureim::systems
