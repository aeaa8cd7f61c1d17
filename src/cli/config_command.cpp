// futureim config: show the effective configuration or the default file.

#include <iostream>

#include "cli/command_context.h"

namespace futureim::cli {
namespace {

std::string Render(const core::Config& config, const core::SettingSpec& spec) {
  switch (spec.type) {
    case core::SettingType::kString:
      return "\"" + config.GetString(spec.name) + "\"";
    case core::SettingType::kInt:
      return std::to_string(config.GetInt(spec.name));
    case core::SettingType::kBool:
      return config.GetBool(spec.name) ? "true" : "false";
    case core::SettingType::kStringList: {
      std::string text = "[";
      for (const auto& item : config.GetList(spec.name)) {
        text += (text.size() > 1 ? ", \"" : "\"") + item + "\"";
      }
      return text + "]";
    }
  }
  return "";
}

}  // namespace

void AddConfigCommand(CLI::App& app, CommandContext& context) {
  auto* command = app.add_subcommand("config", "Show the configuration.");
  command->require_subcommand(1);
  command
      ->add_subcommand("show",
                       "Effective settings and where each came from (secrets: only "
                       "whether they are set)")
      ->callback([&context] {
        context.run = [&context] {
          const auto& config = context.config();
          const auto secrets = context.secrets();
          for (const auto& spec : core::Config::Settings()) {
            if (spec.secret) {
              std::cout << spec.name << " = " << (secrets.Get(spec.name) ? "(set)" : "(not set)")
                        << "    # secret: " << core::Config::EnvVarName(spec.name)
                        << " or key store\n";
            } else {
              std::cout << spec.name << " = " << Render(config, spec) << "    # "
                        << config.Origin(spec.name) << "\n";
            }
          }
          return kExitOk;
        };
      });
  command->add_subcommand("default", "Print a commented config file with every default")
      ->callback([&context] {
        context.run = [] {
          std::cout << core::Config::DefaultFileText();
          return kExitOk;
        };
      });
}

}  // namespace futureim::cli
