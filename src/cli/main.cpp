// futureim: one binary with a subcommand per part of the product.

#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>

#include "cli/command_context.h"
#include "core/error.h"
#include "core/log.h"

namespace {

int Run(int argc, char** argv) {
  using namespace futureim;
  cli::CommandContext context(core::Environment::FromProcess());

  CLI::App app{
      "futureim: replicates a store's MySQL/MariaDB database into a Parquet lake, analyses it, "
      "and serves the results.",
      "futureim"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("futureim ") + FUTUREIM_VERSION);
  app.add_option("--workdir", context.workdir_flag,
                 "Installation folder (config, key store, lake); default $FUTUREIM_WORKDIR or .");
  app.add_option("--log-level", context.log_level, "trace, debug, info, warn, error, off");
  app.add_option("--log-format", context.log_format, "json, text or auto");

  cli::AddInitCommand(app, context);
  cli::AddStatusCommand(app, context);
  cli::AddConfigCommand(app, context);
  cli::AddSecretCommand(app, context);
  cli::AddGenerateCommand(app, context);
  cli::AddReplicateCommand(app, context);
  cli::AddVerifyCommand(app, context);
  cli::AddCheckSourceCommand(app, context);
  cli::AddQueryCommand(app, context);
  cli::AddCopilotCommand(app, context);
  cli::AddCatalogCommands(app, context);
  cli::AddLakeCommand(app, context);
  cli::AddPipelineCommand(app, context);
  cli::AddServeCommand(app, context);
  cli::AddAuditCommand(app, context);
  cli::AddSystemsCommand(app, context);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? cli::kExitOk : cli::kExitUsage;
  }

  try {
    const auto& config = context.config();
    core::ConfigureLogging(
        context.log_level.empty() ? config.GetString("log.level") : context.log_level,
        context.log_format.empty() ? config.GetString("log.format") : context.log_format);
    return context.run ? context.run() : cli::kExitOk;
  } catch (const core::Error& e) {
    std::fprintf(stderr, "futureim: error: %s\n", e.what());
    return cli::kExitError;
  }
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {
    // Not a user error: a defect. Say so without internals beyond the message.
    std::fprintf(stderr, "futureim: internal error: %s\n", e.what());
    return futureim::cli::kExitError;
  }
}
