// futureim audit verify: walks the audit log's hash chain.

#include <iostream>

#include "auth/audit_log.h"
#include "cli/command_context.h"
#include "core/error.h"
#include "metadata/metadata_db.h"

namespace futureim::cli {
namespace {

inline constexpr int kExitTampered = 4;

int RunAuditVerify(CommandContext& context) {
  const auto file = context.config().GetPath("metadata.path");
  if (!std::filesystem::exists(file)) {
    throw core::Error("no metadata database at " + file.string() + ": run `futureim init`");
  }
  auto metadata = metadata::MetadataDb::Open(file);
  auth::AuditLog log(metadata.database());
  const auto result = log.Verify();
  if (result.first_bad_id) {
    std::cout << "audit log: TAMPERED at row " << *result.first_bad_id << ": " << result.problem
              << " (" << result.rows_checked << " rows checked)\n";
    return kExitTampered;
  }
  std::cout << "audit log: intact (" << result.rows_checked << " rows, hash chain verified)\n";
  return kExitOk;
}

}  // namespace

void AddAuditCommand(CLI::App& app, CommandContext& context) {
  auto* command = app.add_subcommand("audit", "The append-only, hash-chained audit log");
  command->require_subcommand(1);
  auto* verify = command->add_subcommand(
      "verify",
      "Walk the hash chain; name the first edited, deleted or reordered row (exit 4 when "
      "tampered)");
  verify->callback([&context] { context.run = [&context] { return RunAuditVerify(context); }; });
}

}  // namespace futureim::cli
