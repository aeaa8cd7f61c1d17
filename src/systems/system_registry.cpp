#include "systems/system_registry.h"

namespace futureim::systems {

std::vector<std::unique_ptr<AnalyticsSystem>> AllSystems() {
  std::vector<std::unique_ptr<AnalyticsSystem>> systems;
  // One line per system, in pipeline order.
  return systems;
}

std::unique_ptr<AnalyticsSystem> FindSystem(std::string_view name_or_slug) {
  for (auto& system : AllSystems()) {
    if (system->Name() == name_or_slug || system->Slug() == name_or_slug) return std::move(system);
  }
  return nullptr;
}

}  // namespace futureim::systems
