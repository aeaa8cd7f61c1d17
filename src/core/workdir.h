#pragma once

#include <filesystem>
#include <optional>

#include "core/environment.h"

namespace futureim::core {

// The working directory of one installation holds its config file, key store,
// lake (by default) and metadata database; relative paths in the config
// resolve against it.
struct Workdir {
  std::filesystem::path root;
  std::filesystem::path config_file;

  // The --workdir flag, else FUTUREIM_WORKDIR, else the current directory.
  // The config file is FUTUREIM_CONFIG when set, else <root>/futureim.toml.
  static Workdir Locate(const std::optional<std::filesystem::path>& flag, const Environment& env);
};

}  // namespace futureim::core
