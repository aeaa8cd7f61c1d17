#include "cli/command_context.h"

#include "core/error.h"

namespace futureim::cli {

const core::Workdir& CommandContext::workdir() {
  if (!workdir_) workdir_ = core::Workdir::Locate(workdir_flag, env_);
  return *workdir_;
}

const core::Config& CommandContext::config() {
  if (!config_) config_ = core::Config::Load(workdir().config_file, workdir().root, env_);
  return *config_;
}

const core::KeyStore* CommandContext::key_store() {
  if (!key_store_checked_) {
    key_store_checked_ = true;
    const auto file = config().GetPath("security.key_file");
    std::error_code ec;
    if (std::filesystem::exists(file, ec)) key_store_ = core::KeyStore::Open(file);
  }
  return key_store_ ? &*key_store_ : nullptr;
}

core::Secrets CommandContext::secrets() { return core::Secrets(env_, key_store()); }

std::filesystem::path CommandContext::lake_root() { return config().GetPath("lake.path"); }

}  // namespace futureim::cli
