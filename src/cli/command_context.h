#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "core/config.h"
#include "core/environment.h"
#include "core/key_store.h"
#include "core/workdir.h"

namespace futureim::cli {

// Exit codes of the futureim binary.
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;  // a core::Error: the message says what to fix
inline constexpr int kExitUsage = 2;  // bad command line

// What every subcommand shares: the global options and, loaded on first use,
// the workdir, config and secrets. A subcommand registers itself with
// Add*Command and sets `run` from its parse callback; main runs it.
class CommandContext {
 public:
  explicit CommandContext(core::Environment env) : env_(std::move(env)) {}

  std::optional<std::filesystem::path> workdir_flag;
  std::string log_level;   // empty: from config
  std::string log_format;  // empty: from config
  std::function<int()> run;

  const core::Environment& env() const { return env_; }
  const core::Workdir& workdir();
  const core::Config& config();
  // The key store if it exists (nullptr before `futureim init`).
  const core::KeyStore* key_store();
  core::Secrets secrets();
  // The lake's root folder (lake.path). The tiers are read and written on
  // local disk; with `lake.backend = s3` this folder is the working copy that
  // `futureim lake push` (and every pipeline run) copies to the store.
  std::filesystem::path lake_root();

 private:
  core::Environment env_;
  std::optional<core::Workdir> workdir_;
  std::optional<core::Config> config_;
  std::optional<core::KeyStore> key_store_;
  bool key_store_checked_ = false;
};

void AddInitCommand(CLI::App& app, CommandContext& context);
void AddStatusCommand(CLI::App& app, CommandContext& context);
void AddConfigCommand(CLI::App& app, CommandContext& context);
void AddSecretCommand(CLI::App& app, CommandContext& context);
void AddGenerateCommand(CLI::App& app, CommandContext& context);
void AddReplicateCommand(CLI::App& app, CommandContext& context);
void AddVerifyCommand(CLI::App& app, CommandContext& context);
void AddCheckSourceCommand(CLI::App& app, CommandContext& context);
void AddQueryCommand(CLI::App& app, CommandContext& context);
void AddCopilotCommand(CLI::App& app, CommandContext& context);
// crawl and catalog (list, show, ddl).
void AddCatalogCommands(CLI::App& app, CommandContext& context);
void AddLakeCommand(CLI::App& app, CommandContext& context);
void AddPipelineCommand(CLI::App& app, CommandContext& context);
void AddServeCommand(CLI::App& app, CommandContext& context);
// systems list, systems run <name|all>.
void AddSystemsCommand(CLI::App& app, CommandContext& context);
void AddAuditCommand(CLI::App& app, CommandContext& context);

}  // namespace futureim::cli
