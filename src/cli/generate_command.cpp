// futureim generate: the store simulator.

#include <iostream>

#include "cli/command_context.h"
#include "core/error.h"
#include "generate/store_schema.h"
#include "source/mysql_connection.h"
#include "source/source_endpoint.h"

namespace futureim::cli {
namespace {

struct GenerateOptions {
  std::string target;
  bool schema_only = false;
  bool print_schema = false;
};

int RunGenerate(CommandContext& context, const GenerateOptions& options) {
  if (options.print_schema) {
    for (const auto& statement : generate::StoreSchemaStatements()) std::cout << statement << ";\n\n";
    return kExitOk;
  }
  if (!options.schema_only) {
    std::cerr << "futureim generate: filling the store with simulated data is not yet available "
                 "in this build; use --schema-only to create the store schema\n";
    return kExitUnavailable;
  }
  std::string target = options.target;
  if (target.empty()) target = context.env().Get("FUTUREIM_GENERATE_TARGET").value_or("");
  if (target.empty()) {
    throw core::Error("no target: pass --target mysql://user@host:port/database");
  }
  auto endpoint = source::SourceEndpoint::FromUri(target);
  if (endpoint.password.empty()) {
    endpoint.password = context.env().Get("FUTUREIM_TARGET_PASSWORD").value_or("");
  }
  auto connection = source::MysqlConnection::Connect(endpoint);
  generate::ApplyStoreSchema(connection);
  std::cout << "store schema applied to " << endpoint.Describe() << " ("
            << generate::StoreTableNames().size() << " tables)\n";
  return kExitOk;
}

}  // namespace

void AddGenerateCommand(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<GenerateOptions>();
  auto* command = app.add_subcommand(
      "generate",
      "Store simulator: create the ten-table eCommerce schema in a MySQL/MariaDB database. The "
      "target's password comes from the URI or FUTUREIM_TARGET_PASSWORD.");
  command->add_option("--target", options->target,
                      "mysql://user@host:port/database (default $FUTUREIM_GENERATE_TARGET)");
  command->add_flag("--schema-only", options->schema_only, "Only create the schema (idempotent)");
  command->add_flag("--print-schema", options->print_schema, "Print the schema's DDL and exit");
  command->callback([&context, options] {
    context.run = [&context, options] { return RunGenerate(context, *options); };
  });
}

}  // namespace futureim::cli
