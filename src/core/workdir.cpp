#include "core/workdir.h"

namespace futureim::core {

Workdir Workdir::Locate(const std::optional<std::filesystem::path>& flag, const Environment& env) {
  Workdir workdir;
  if (flag && !flag->empty()) {
    workdir.root = *flag;
  } else if (auto dir = env.Get("FUTUREIM_WORKDIR"); dir && !dir->empty()) {
    workdir.root = *dir;
  } else {
    workdir.root = std::filesystem::current_path();
  }
  workdir.root = std::filesystem::absolute(workdir.root).lexically_normal();
  if (auto file = env.Get("FUTUREIM_CONFIG"); file && !file->empty()) {
    workdir.config_file = std::filesystem::absolute(*file);
  } else {
    workdir.config_file = workdir.root / "futureim.toml";
  }
  return workdir;
}

}  // namespace futureim::core
