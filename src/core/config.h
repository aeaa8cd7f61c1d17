#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/environment.h"

namespace futureim::core {

enum class SettingType { kString, kInt, kBool, kStringList };

// One setting: its dotted name ("source.host"), type, default and help.
// The table of all settings (Config::Settings()) is the single source for
// parsing, environment overrides, validation and the generated default file.
struct SettingSpec {
  std::string_view name;
  SettingType type;
  std::string_view default_value;  // in environment-variable syntax
  std::string_view help;
  // Secrets are never accepted from the config file: only from the
  // environment or the key store.
  bool secret = false;
  std::span<const std::string_view> allowed = {};  // for enumerated strings
  int64_t min = INT64_MIN;
  int64_t max = INT64_MAX;
};

// The effective configuration: defaults, then the TOML file, then FUTUREIM_*
// environment variables (each setting "a.b_c" is overridden by FUTUREIM_A_B_C).
// Immutable once loaded. Secrets are not part of it (see Secrets).
class Config {
 public:
  using Value = std::variant<std::string, int64_t, bool, std::vector<std::string>>;

  // Loads `file` if it exists (a missing file means defaults + environment).
  // Relative paths in settings resolve against `base_dir`. Throws core::Error
  // naming the file, line and setting for any problem, and refuses a file that
  // holds a secret.
  static Config Load(const std::filesystem::path& file, const std::filesystem::path& base_dir,
                     const Environment& env);

  static std::span<const SettingSpec> Settings();
  static const SettingSpec* FindSetting(std::string_view name);
  // The environment variable that overrides a setting: "source.host" -> FUTUREIM_SOURCE_HOST.
  static std::string EnvVarName(std::string_view setting);
  // A commented TOML file with every non-secret setting at its default.
  static std::string DefaultFileText();

  std::string GetString(std::string_view name) const;
  int64_t GetInt(std::string_view name) const;
  bool GetBool(std::string_view name) const;
  std::vector<std::string> GetList(std::string_view name) const;
  // A path setting made absolute against the base directory.
  std::filesystem::path GetPath(std::string_view name) const;
  // Where the effective value came from: "default", "futureim.toml:12" or "env FUTUREIM_X".
  std::string Origin(std::string_view name) const;

  const std::filesystem::path& base_dir() const { return base_dir_; }
  const std::filesystem::path& file() const { return file_; }

 private:
  const Value& Get(std::string_view name, SettingType type) const;

  std::filesystem::path file_;
  std::filesystem::path base_dir_;
  std::map<std::string, Value, std::less<>> values_;
  std::map<std::string, std::string, std::less<>> origins_;
};

}  // namespace futureim::core
