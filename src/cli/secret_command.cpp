// futureim secret: put secrets in the key store without them ever appearing
// on a command line (where shell history and `ps` would keep them).

#include <iostream>
#include <string>

#include <unistd.h>

#include "cli/command_context.h"
#include "core/error.h"

namespace futureim::cli {

void AddSecretCommand(CLI::App& app, CommandContext& context) {
  auto* command = app.add_subcommand("secret", "Manage the key store.");
  command->require_subcommand(1);

  auto name = std::make_shared<std::string>();
  auto* set = command->add_subcommand(
      "set", "Store a secret read from standard input (one line), e.g. source.password");
  set->add_option("name", *name, "Secret name")->required();
  set->callback([&context, name] {
    context.run = [&context, name] {
      const auto* spec = core::Config::FindSetting(*name);
      if (spec == nullptr || !spec->secret) {
        std::string names;
        for (const auto& s : core::Config::Settings()) {
          if (s.secret) names += (names.empty() ? "" : ", ") + std::string(s.name);
        }
        throw core::Error("'" + *name + "' is not a secret; secrets are: " + names);
      }
      if (::isatty(STDIN_FILENO) == 1) std::cerr << "value for " << *name << ": " << std::flush;
      std::string value;
      std::getline(std::cin, value);
      if (value.empty()) throw core::Error("no value read from standard input");
      auto store = core::KeyStore::OpenOrCreate(context.config().GetPath("security.key_file"));
      store.Set(*name, value);
      std::cout << "stored " << *name << " in " << store.file().string() << "\n";
      return kExitOk;
    };
  });

  command->add_subcommand("list", "Names of the secrets and where each is set (never values)")
      ->callback([&context] {
        context.run = [&context] {
          const auto* store = context.key_store();
          for (const auto& spec : core::Config::Settings()) {
            if (!spec.secret) continue;
            const std::string var = core::Config::EnvVarName(spec.name);
            const char* where = context.env().Get(var)             ? "environment"
                                : (store && store->Get(spec.name)) ? "key store"
                                                                   : "not set";
            std::cout << spec.name << "  " << where << "  (" << var << ")\n";
          }
          return kExitOk;
        };
      });
}

}  // namespace futureim::cli
