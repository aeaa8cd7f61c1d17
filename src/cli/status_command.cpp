// futureim status: the state of everything this installation has.

#include <iomanip>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include "cli/command_context.h"
#include "core/error.h"
#include "lake/folder_usage.h"
#include "lake/raw_tier_layout.h"
#include "metadata/metadata_db.h"
#include "replicate/replication_metrics.h"
#include "replicate/replication_status.h"
#include "source/mysql_connection.h"
#include "source/source_config.h"

namespace futureim::cli {
namespace {

// Each section is {"ok": bool, ...facts}; a failing section carries "error".
nlohmann::json CollectStatus(CommandContext& context) {
  const auto& config = context.config();
  nlohmann::json status;
  status["version"] = FUTUREIM_VERSION;
  status["workdir"] = context.workdir().root.string();
  status["config"] = {{"file", context.workdir().config_file.string()},
                      {"ok", true},
                      {"exists", std::filesystem::exists(context.workdir().config_file)}};

  try {
    const auto* store = context.key_store();
    status["key_store"] = {{"file", config.GetPath("security.key_file").string()},
                           {"ok", store != nullptr}};
    if (store == nullptr) status["key_store"]["error"] = "missing: run `futureim init`";
  } catch (const core::Error& e) {
    status["key_store"] = {{"ok", false}, {"error", e.what()}};
  }

  const auto lake = config.GetPath("lake.path");
  nlohmann::json tiers = nlohmann::json::object();
  bool lake_ok = true;
  for (const char* tier : {"raw", "curated", "prod"}) {
    const bool present = std::filesystem::is_directory(lake / tier);
    lake_ok = lake_ok && present;
    const auto usage = present ? lake::MeasureFolder(lake / tier) : lake::FolderUsage{};
    tiers[tier] = {{"present", present}, {"files", usage.files}, {"bytes", usage.bytes}};
  }
  status["lake"] = {{"backend", config.GetString("lake.backend")},
                    {"path", lake.string()},
                    {"ok", lake_ok},
                    {"tiers", tiers}};
  if (!lake_ok) status["lake"]["error"] = "lake tiers missing: run `futureim init`";

  const auto metadata_file = config.GetPath("metadata.path");
  if (!std::filesystem::exists(metadata_file)) {
    status["metadata"] = {
        {"file", metadata_file.string()}, {"ok", false}, {"error", "missing: run `futureim init`"}};
  } else {
    try {
      auto metadata = metadata::MetadataDb::Open(metadata_file);
      status["metadata"] = {{"file", metadata_file.string()},
                            {"ok", true},
                            {"schema_version", metadata.SchemaVersion()}};
    } catch (const core::Error& e) {
      status["metadata"] = {{"file", metadata_file.string()}, {"ok", false}, {"error", e.what()}};
    }
  }

  status["replication"] =
      replicate::ReplicationStatusReport(lake::RawTierLayout(lake), replicate::WallClockMicros());

  try {
    const auto endpoint = source::EndpointFromConfig(config, context.secrets());
    status["source"] = {{"endpoint", endpoint.Describe()}};
    auto connection = source::MysqlConnection::Connect(endpoint, std::chrono::seconds(5));
    status["source"]["ok"] = true;
    status["source"]["server_version"] = connection.ServerVersion();
  } catch (const core::Error& e) {
    status["source"]["ok"] = false;
    status["source"]["error"] = e.what();
  }
  return status;
}

std::string Fixed(double value, int decimals) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(decimals) << value;
  return out.str();
}

// The replication section: the task's figures, then one line per table.
void PrintReplication(const nlohmann::json& r) {
  std::cout << "  " << (r.value("ok", false) ? "ok     " : "PROBLEM") << "  replication ";
  if (!r.value("configured", false)) {
    std::cout << "not started (run `futureim replicate`)\n";
    if (r.contains("error"))
      std::cout << "                     " << r["error"].get<std::string>() << "\n";
    return;
  }
  std::cout << (r.value("running", false) ? "running" : "not running");
  if (r.contains("phase")) std::cout << " (last phase " << r["phase"].get<std::string>() << ")";
  std::cout << "  commit " << r["commit"].get<uint64_t>();
  if (r.contains("position")) std::cout << "  at " << r["position"].get<std::string>();
  std::cout << "\n";
  if (r.contains("target_lag_ms")) {
    const auto& lag = r["target_lag_ms"];
    std::cout << "                     source lag " << Fixed(r.value("source_lag_seconds", 0.0), 1)
              << " s, target lag p50/p95/p99 " << Fixed(lag.value("p50", 0.0), 0) << "/"
              << Fixed(lag.value("p95", 0.0), 0) << "/" << Fixed(lag.value("p99", 0.0), 0)
              << " ms, " << Fixed(r.value("rows_per_second", 0.0), 0) << " rows/s\n";
  }
  if (r.contains("error")) {
    std::cout << "                     error: " << r["error"].get<std::string>() << "\n";
  }
  std::cout << "                     table                          state      loaded   changes\n";
  for (const auto& t : r["tables"]) {
    std::string name = t["table"].get<std::string>();
    std::string state = t["state"].get<std::string>();
    name.resize(std::max<size_t>(name.size(), 30), ' ');
    state.resize(std::max<size_t>(state.size(), 9), ' ');
    std::cout << "                     " << name << " " << state << " " << std::setw(9)
              << t["rows_loaded"].get<uint64_t>() << " " << std::setw(9)
              << t["changes_applied"].get<uint64_t>() << "\n";
  }
}

void PrintHuman(const nlohmann::json& status) {
  std::cout << "futureim " << status["version"].get<std::string>() << "  workdir "
            << status["workdir"].get<std::string>() << "\n";
  for (const char* section : {"config", "key_store", "lake", "metadata", "source"}) {
    const auto& item = status[section];
    std::string name = section;
    name.resize(10, ' ');
    std::cout << "  " << (item.value("ok", false) ? "ok     " : "PROBLEM") << "  " << name;
    if (item.contains("file")) std::cout << item["file"].get<std::string>();
    if (item.contains("path")) std::cout << item["path"].get<std::string>();
    if (item.contains("endpoint")) std::cout << item["endpoint"].get<std::string>();
    if (item.contains("server_version")) {
      std::cout << "  server " << item["server_version"].get<std::string>();
    }
    if (item.contains("schema_version")) {
      std::cout << "  schema v" << item["schema_version"].get<int64_t>();
    }
    std::cout << "\n";
    if (item.contains("tiers")) {
      for (const auto& [tier, facts] : item["tiers"].items()) {
        std::cout << "                     " << tier << ": " << facts["files"].get<uint64_t>()
                  << " files, " << facts["bytes"].get<uint64_t>() << " bytes\n";
      }
    }
    if (item.contains("error"))
      std::cout << "                     " << item["error"].get<std::string>() << "\n";
  }
  PrintReplication(status["replication"]);
}

}  // namespace

void AddStatusCommand(CLI::App& app, CommandContext& context) {
  auto* command = app.add_subcommand(
      "status", "Print the state of the installation: config, key store, lake, metadata, source.");
  auto json = std::make_shared<bool>(false);
  command->add_flag("--json", *json, "Machine-readable output");
  command->callback([&context, json] {
    context.run = [&context, json] {
      const auto status = CollectStatus(context);
      if (*json) {
        std::cout << status.dump(2) << "\n";
      } else {
        PrintHuman(status);
      }
      for (const auto& [name, item] : status.items()) {
        if (item.is_object() && !item.value("ok", true)) return kExitError;
      }
      return kExitOk;
    };
  });
}

}  // namespace futureim::cli
