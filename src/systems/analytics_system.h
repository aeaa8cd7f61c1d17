#pragma once

// An analytics system (SPEC.md §4): a batch step that reads the curated tier
// and writes its prod tables as one versioned run, plus on-demand answers
// (plain functions of each system, called by its API routes).
//
// Systems depend on the shared layers (ml/, query/, lake/, engine/) and on
// this interface, never on each other: one system reads another's outputs only
// through the lake views (`<system>.<table>`), like any reader.

#include <chrono>
#include <cstdint>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/config.h"
#include "engine/duckdb.h"
#include "systems/prod_run_writer.h"

namespace futureim::systems {

// What one batch run of a system gets.
struct SystemRunContext {
  // DuckDB with the lake's views: curated.<table>, raw_current.<table> and
  // every system's current prod tables as <system>.<table> (query/lake_views.h),
  // times in UTC. The system may create TEMP tables on it.
  engine::Connection& lake;
  // Where this run's tables go (Write them; the runner publishes).
  ProdRunWriter& output;
  // The run's clock. The store's "today" is the data's own latest date, which
  // may lie before it (a store filled "as of" another day).
  std::chrono::system_clock::time_point now;
  uint64_t seed = 1;  // models that draw random numbers draw from this
  const core::Config& config;
};

class AnalyticsSystem {
 public:
  virtual ~AnalyticsSystem() = default;

  // The prod folder and SQL schema of its tables: "demand_insights_engine".
  virtual std::string_view Name() const = 0;
  // The first segment of its API routes: "demand-insights".
  virtual std::string_view Slug() const = 0;
  // For people: "Demand Insights Engine".
  virtual std::string_view Title() const = 0;

  // The curated tables the batch step reads ("orders", "payments"...). A
  // lake without one of them (not a store, or a table not replicated) makes
  // the runner skip the system with a message naming the missing table,
  // instead of failing inside the system's SQL.
  virtual std::vector<std::string_view> RequiredCuratedTables() const { return {}; }

  // The batch step: reads context.lake, writes every table of the run through
  // context.output, and returns how good its models are (holdout or backtest
  // measures, row counts worth reporting), stored beside each table's files.
  // Throws core::Error with a message for people when the data cannot support
  // a run (e.g. no curated orders yet); the previous run then stays current.
  virtual nlohmann::json Run(SystemRunContext& context) = 0;
};

}  // namespace futureim::systems
