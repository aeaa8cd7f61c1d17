// futureim generate: the store simulator.

#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "cli/command_context.h"
#include "cli/stop_signal.h"
#include "core/error.h"
#include "core/log.h"
#include "generate/civil_time.h"
#include "generate/csv_store_writer.h"
#include "generate/ground_truth.h"
#include "generate/live_trader.h"
#include "generate/mysql_bulk_loader.h"
#include "generate/store_model.h"
#include "generate/store_schema.h"
#include "generate/store_target.h"
#include "source/mysql_connection.h"
#include "source/source_endpoint.h"

namespace futureim::cli {
namespace {

struct GenerateOptions {
  std::string target;
  std::string scale = "1";
  uint64_t seed = 42;
  std::string as_of;
  std::string truth;
  bool replace = false;
  std::string live;  // transactions per second; empty: no live trading
  double live_seconds = 0;
  int load_connections = 3;
  bool schema_only = false;
  bool print_schema = false;
};

// Scale 100 is ~1M customers and ~5M orders; beyond that the in-memory
// model would need many gigabytes.
constexpr double kMaxScale = 100;

double ParseScale(const std::string& text) {
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || end == nullptr || *end != '\0' || !std::isfinite(value) || value <= 0) {
    throw core::Error("invalid --scale '" + text + "': give a positive number, e.g. 0.1, 1 or 10");
  }
  if (value > kMaxScale) {
    throw core::Error("--scale " + text + " is too large: at most " +
                      std::to_string(static_cast<int>(kMaxScale)) +
                      " (scale 1 is about 10k customers and 50k orders)");
  }
  return value;
}

double ParseRate(const std::string& text) {
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(value) || value <= 0 || value > 10000) {
    throw core::Error("invalid --live '" + text +
                      "': give the transactions per second, a number in (0, 10000]");
  }
  return value;
}

int64_t TodayUtc() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return std::chrono::duration_cast<std::chrono::seconds>(now).count() / generate::kSecondsPerDay;
}

void PrintFillSummary(const generate::RowSink& sink, const generate::StoreTarget& target,
                      const generate::SimulationParameters& parameters, double seconds,
                      const std::filesystem::path& truth_dir) {
  uint64_t total = 0;
  std::ostringstream tables;
  nlohmann::json fields = nlohmann::json::object();
  for (size_t t = 0; t < generate::kStoreTableCount; ++t) {
    const auto name = generate::TableName(static_cast<generate::StoreTable>(t));
    total += sink.row_counts()[t];
    tables << "  " << name << ": " << sink.row_counts()[t] << "\n";
    fields[std::string(name)] = sink.row_counts()[t];
  }
  const double rate = seconds > 0 ? static_cast<double>(total) / seconds : 0;
  std::cout << "generated the store (seed " << parameters.seed << ", scale " << parameters.scale
            << ", as-of " << generate::FormatIsoDate(parameters.as_of_day) << ") into "
            << target.Describe() << ": " << total << " rows in " << std::fixed
            << std::setprecision(2) << seconds << " s (" << std::setprecision(0) << rate
            << " rows/s)\n"
            << tables.str() << "ground truth: " << truth_dir.string() << "\n";
  fields["rows"] = total;
  fields["seconds"] = seconds;
  fields["rows_per_second"] = rate;
  core::log::Info("generate.filled", fields);
}

int RunGenerate(CommandContext& context, const GenerateOptions& options) {
  if (options.print_schema) {
    for (const auto& statement : generate::StoreSchemaStatements())
      std::cout << statement << ";\n\n";
    return kExitOk;
  }
  std::string target_text = options.target;
  if (target_text.empty()) target_text = context.env().Get("FUTUREIM_GENERATE_TARGET").value_or("");
  if (target_text.empty()) {
    throw core::Error("no target: pass --target mysql://user@host:port/database or csv:DIR");
  }
  const auto target = generate::StoreTarget::Parse(
      target_text, context.env().Get("FUTUREIM_TARGET_PASSWORD").value_or(""));

  if (options.schema_only) {
    if (target.kind != generate::StoreTarget::Kind::kMysql) {
      throw core::Error("--schema-only needs a mysql:// target");
    }
    generate::LiveOptions live;
    auto connection = source::MysqlConnection::Connect(target.endpoint);
    generate::ApplyStoreSchema(connection);
    std::cout << "store schema applied to " << target.endpoint.Describe() << " ("
              << generate::StoreTableNames().size() << " tables)\n";
    return kExitOk;
  }

  generate::SimulationParameters parameters;
  parameters.scale = ParseScale(options.scale);
  parameters.seed = options.seed;
  if (options.as_of.empty()) {
    parameters.as_of_day = TodayUtc();
  } else {
    const auto date = generate::ParseIsoDate(options.as_of);
    if (!date) throw core::Error("invalid --as-of '" + options.as_of + "': use YYYY-MM-DD");
    parameters.as_of_day = generate::DaysFromCivil(*date);
  }
  const double live_rate = options.live.empty() ? 0 : ParseRate(options.live);
  if (options.live_seconds < 0 || !std::isfinite(options.live_seconds)) {
    throw core::Error("--live-seconds must be 0 (until stopped) or a positive number");
  }
  if (options.load_connections < 1 || options.load_connections > 16) {
    throw core::Error("--load-connections must be between 1 and 16");
  }
  const std::filesystem::path truth_dir =
      options.truth.empty() ? target.DefaultTruthDirectory() : std::filesystem::path(options.truth);

  auto fill = [&](generate::RowSink& sink) {
    // The truth folder must be writable before anything is loaded.
    std::error_code error;
    std::filesystem::create_directories(truth_dir, error);
    if (error) {
      throw core::Error("cannot create the truth folder " + truth_dir.string() + ": " +
                        error.message() + " (choose another with --truth DIR)");
    }
    const auto start = std::chrono::steady_clock::now();
    auto truth = generate::StoreModelGenerator(parameters).Generate(sink);
    sink.Finish();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    generate::WriteGroundTruth(truth, truth_dir);
    PrintFillSummary(sink, target, parameters, seconds, truth_dir);
    return truth;
  };

  if (target.kind == generate::StoreTarget::Kind::kCsv) {
    if (live_rate > 0)
      throw core::Error("--live needs a mysql:// target (a CSV folder cannot trade)");
    if (generate::CsvStoreWriter::HasStore(target.csv_directory) && !options.replace) {
      throw core::Error(target.csv_directory.string() +
                        " already holds a generated store: pass --replace to overwrite it");
    }
    generate::CsvStoreWriter writer(target.csv_directory);
    fill(writer);
    return kExitOk;
  }

  generate::LiveOptions live;
  auto connection = source::MysqlConnection::Connect(target.endpoint);
  const bool has_data = generate::StoreHasData(connection);
  if (has_data && !options.replace) {
    if (live_rate <= 0) {
      throw core::Error(target.endpoint.Describe() +
                        " already holds store data: pass --replace to drop and regenerate it, or "
                        "--live RATE to keep trading on it");
    }
    std::cout << "trading on the existing store in " << target.endpoint.Describe() << "\n";
  } else {
    if (has_data) generate::DropStore(connection);
    // Tables created here get their secondary keys and foreign keys after
    // the load (same schema in the end, a fraction of the load time).
    auto deferred_keys = generate::ApplyStoreSchemaDeferringKeys(connection);
    generate::MysqlBulkLoader loader(target.endpoint, options.load_connections);
    loader.AddKeysAfterLoad(std::move(deferred_keys));
    // Live trading continues the store it just filled: the same
    // elasticities and product qualities.
    const auto truth = fill(loader);
    for (const auto& category : truth.categories) {
      if (category.is_leaf) live.category_elasticity[category.category_id] = category.elasticity;
    }
    for (const auto& product : truth.products) {
      live.product_quality[product.product_id] = product.quality;
    }
  }

  if (live_rate > 0) {
    const std::atomic<bool>& stop = InstallStopSignalHandlers();
    live.transactions_per_second = live_rate;
    live.max_seconds = options.live_seconds;
    live.seed = parameters.seed;
    generate::LiveTrader trader(target.endpoint, live);
    std::ostringstream plan;
    plan << "trading live at " << live_rate << " transactions/s";
    if (options.live_seconds > 0) {
      plan << " for " << options.live_seconds << " s";
    } else {
      plan << " until stopped (Ctrl-C)";
    }
    std::cout << plan.str() << std::endl;
    const auto summary = trader.Run(stop);
    std::cout << "live trading stopped: " << summary.transactions << " transactions in "
              << std::fixed << std::setprecision(2) << summary.seconds << " s ("
              << (summary.seconds > 0 ? summary.transactions / summary.seconds : 0) << "/s); "
              << summary.inserts << " inserts, " << summary.updates << " updates, "
              << summary.deletes << " deletes, " << summary.retries << " retries\n";
    nlohmann::json by_action = summary.by_action;
    core::log::Info("generate.live_stopped", {{"transactions", summary.transactions},
                                              {"seconds", summary.seconds},
                                              {"inserts", summary.inserts},
                                              {"updates", summary.updates},
                                              {"deletes", summary.deletes},
                                              {"by_action", by_action}});
  }
  return kExitOk;
}

}  // namespace

void AddGenerateCommand(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<GenerateOptions>();
  auto* command = app.add_subcommand(
      "generate",
      "Store simulator: create the ten-table eCommerce schema and fill it with a realistic, "
      "deterministic store (with ground truth beside it), optionally keep trading live. The "
      "target's password comes from the URI or FUTUREIM_TARGET_PASSWORD.");
  command->add_option("--target", options->target,
                      "mysql://user@host:port/database or csv:DIR (default "
                      "$FUTUREIM_GENERATE_TARGET)");
  command
      ->add_option("--scale", options->scale,
                   "Size: 1 is ~10k customers and ~50k orders; multiplies customers and orders "
                   "(fractions allowed)")
      ->capture_default_str();
  command
      ->add_option("--seed", options->seed,
                   "Random seed: same seed, scale and as-of give "
                   "byte-identical data")
      ->capture_default_str();
  command->add_option(
      "--as-of", options->as_of,
      "YYYY-MM-DD: orders span the two years before this day (default: today, UTC)");
  command->add_option("--truth", options->truth,
                      "Folder for the ground truth (default: truth/ beside a CSV folder, ./truth "
                      "for a database)");
  command->add_flag("--replace", options->replace, "Drop and regenerate an existing store");
  command->add_option("--live", options->live,
                      "After the fill (or on an existing store), keep trading at RATE "
                      "transactions per second until Ctrl-C. Live rows carry the real clock, or "
                      "continue from the store's latest row when that is later (--as-of in the "
                      "future)");
  command->add_option("--live-seconds", options->live_seconds, "Stop live trading after T seconds");
  command
      ->add_option("--load-connections", options->load_connections,
                   "Parallel connections for the bulk load")
      ->capture_default_str();
  command->add_flag("--schema-only", options->schema_only, "Only create the schema (idempotent)");
  command->add_flag("--print-schema", options->print_schema, "Print the schema's DDL and exit");
  command->callback([&context, options] {
    context.run = [&context, options] { return RunGenerate(context, *options); };
  });
}

}  // namespace futureim::cli
