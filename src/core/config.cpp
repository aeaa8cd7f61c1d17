#include "core/config.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <toml++/toml.h>

#include "core/error.h"

namespace futureim::core {
namespace {

constexpr std::array<std::string_view, 3> kTlsModes = {"disabled", "preferred", "required"};
constexpr std::array<std::string_view, 2> kLakeBackends = {"local", "s3"};
constexpr std::array<std::string_view, 2> kS3UrlStyles = {"path", "virtual"};
constexpr std::array<std::string_view, 6> kLogLevels = {"trace", "debug", "info",
                                                        "warn",  "error", "off"};
constexpr std::array<std::string_view, 3> kLogFormats = {"auto", "json", "text"};

using enum SettingType;

// Every setting of the product. Keep sections in the order of the data's path.
const std::array kSettings = {
    SettingSpec{"source.host", kString, "127.0.0.1", "Source MySQL/MariaDB host"},
    SettingSpec{"source.port", kInt, "3306", "Source port", false, {}, 1, 65535},
    SettingSpec{"source.socket", kString, "", "Unix socket (used instead of host:port when set)"},
    SettingSpec{"source.user", kString, "dms_remote", "Replication user (least privilege)"},
    SettingSpec{"source.database", kString, "ecommerce", "Source schema"},
    SettingSpec{"source.tls", kString, "preferred", "TLS to the source", false, kTlsModes},
    SettingSpec{"source.password", kString, "", "Source password", true},

    SettingSpec{"replication.include", kStringList, "ecommerce.%",
                "Tables to replicate (schema.table LIKE patterns)"},
    SettingSpec{"replication.exclude", kStringList, "", "Tables never replicated"},
    SettingSpec{"replication.server_id",
                kInt,
                "4001",
                "Server id this replica announces (unique among replicas)",
                false,
                {},
                1,
                4294967295},
    SettingSpec{"replication.parallel_tables",
                kInt,
                "2",
                "Tables loaded at once in full load",
                false,
                {},
                1,
                64},
    SettingSpec{"replication.chunk_rows",
                kInt,
                "100000",
                "Rows per full-load chunk",
                false,
                {},
                1000,
                100000000},
    SettingSpec{"replication.flush_interval_ms",
                kInt,
                "1000",
                "Raw-tier flush interval",
                false,
                {},
                50,
                3600000},
    SettingSpec{"replication.flush_bytes",
                kInt,
                "33554432",
                "Raw-tier flush size",
                false,
                {},
                65536,
                4294967296},

    SettingSpec{"lake.backend", kString, "local", "Lake storage backend", false, kLakeBackends},
    SettingSpec{"lake.path", kString, "lake", "Lake root (local backend)"},
    SettingSpec{"lake.encrypt", kBool, "true", "Encrypt curated and prod Parquet at rest"},
    SettingSpec{"lake.encryption_key", kString, "", "Parquet encryption key", true},
    SettingSpec{"lake.pii_key", kString, "", "Keyed-hash key for PII tokens", true},
    SettingSpec{"lake.s3_endpoint", kString, "",
                "S3-compatible endpoint, http(s)://host[:port] (s3 backend)"},
    SettingSpec{"lake.s3_bucket", kString, "", "S3 bucket (s3 backend)"},
    SettingSpec{"lake.s3_region", kString, "us-east-1", "S3 region (signs every request)"},
    SettingSpec{"lake.s3_url_style", kString, "path",
                "S3 addressing: path (endpoint/bucket/key) or virtual (bucket.endpoint/key)", false,
                kS3UrlStyles},
    SettingSpec{"lake.s3_prefix", kString, "", "Key prefix inside the bucket (\"\" = bucket root)"},
    SettingSpec{"lake.s3_part_size_mb",
                kInt,
                "64",
                "S3 multipart part size and threshold, MiB",
                false,
                {},
                5,
                5120},
    SettingSpec{"lake.s3_access_key_id", kString, "", "S3 access key id", true},
    SettingSpec{"lake.s3_secret_access_key", kString, "", "S3 secret access key", true},
    SettingSpec{"lake.s3_session_token", kString, "", "S3 session token (temporary credentials)",
                true},

    SettingSpec{"query.timeout_seconds",
                kInt,
                "30",
                "Time limit of one query (futureim query, POST /query)",
                false,
                {},
                1,
                86400},
    SettingSpec{"query.max_rows",
                kInt,
                "10000",
                "Rows returned by one query at most (more are cut off, and the result says so)",
                false,
                {},
                1,
                100000000},
    SettingSpec{"query.memory_limit", kString, "1GB",
                "Memory limit of the query engine (DuckDB syntax: 512MB, 2GB)"},

    SettingSpec{
        "pipeline.keep_runs",
        kInt,
        "3",
        "Curated runs kept per table (the current one and older ones for readers still on them)",
        false,
        {},
        1,
        1000},
    SettingSpec{"pipeline.interval_seconds",
                kInt,
                "300",
                "futureim serve runs the pipeline every this many seconds (one run at a time)",
                false,
                {},
                1,
                604800},
    SettingSpec{
        "pipeline.memory_limit", kString, "2GB",
        "Memory limit of the curation engine (DuckDB syntax; beyond it, it spills to disk)"},
    SettingSpec{"systems.seed",
                kInt,
                "1",
                "Seed of the analytics systems' models (the same data and seed give the same run)",
                false,
                {},
                0,
                4294967295},

    SettingSpec{"metadata.path", kString, "meta/futureim.db",
                "Metadata database (users, audit log, conversations)"},
    SettingSpec{"security.key_file", kString, "futureim.keys",
                "Key store file (created with mode 0600 at first run)"},

    SettingSpec{"server.listen", kString, "127.0.0.1:8080", "HTTP listen address"},
    SettingSpec{"server.tls_cert", kString, "", "TLS certificate chain file (PEM)"},
    SettingSpec{"server.tls_key_path", kString, "", "TLS private key file (PEM)"},
    SettingSpec{"server.cors_origins", kStringList, "", "Origins allowed by CORS"},
    SettingSpec{"server.io_threads", kInt, "2", "Threads doing network I/O", false, {}, 1, 64},
    SettingSpec{"server.worker_threads",
                kInt,
                "2",
                "Threads for blocking work (password hashing, queries)",
                false,
                {},
                1,
                256},
    SettingSpec{"server.max_queued_jobs",
                kInt,
                "256",
                "Blocking requests waiting for a worker at most (more: 503)",
                false,
                {},
                1,
                1000000},
    SettingSpec{"server.max_header_bytes",
                kInt,
                "16384",
                "Request line + headers, bytes (more: 431)",
                false,
                {},
                1024,
                1048576},
    SettingSpec{"server.max_body_bytes",
                kInt,
                "1048576",
                "Request body, bytes (more: 413)",
                false,
                {},
                1024,
                1073741824},
    SettingSpec{"server.read_timeout_seconds",
                kInt,
                "10",
                "Time for a client to send a whole request (and idle keep-alive time)",
                false,
                {},
                1,
                3600},
    SettingSpec{"server.drain_seconds",
                kInt,
                "10",
                "On shutdown, time given to requests in flight",
                false,
                {},
                0,
                3600},
    SettingSpec{"server.rate_limit_ip_per_minute",
                kInt,
                "1200",
                "Requests per client address per minute (burst: a tenth of it, at least 10)",
                false,
                {},
                1,
                100000000},
    SettingSpec{"server.rate_limit_user_per_minute",
                kInt,
                "1200",
                "Requests per signed-in user per minute (burst: a tenth of it, at least 10)",
                false,
                {},
                1,
                100000000},
    SettingSpec{"auth.jwt_key", kString, "", "Access-token signing key", true},
    SettingSpec{"auth.access_token_seconds",
                kInt,
                "900",
                "Lifetime of an access token (15 min at most)",
                false,
                {},
                30,
                900},
    SettingSpec{
        "auth.refresh_token_days", kInt, "14", "Lifetime of a refresh token", false, {}, 1, 365},
    SettingSpec{"auth.reset_token_seconds",
                kInt,
                "3600",
                "Lifetime of a password-reset token",
                false,
                {},
                1,
                86400},
    SettingSpec{"auth.verify_token_seconds",
                kInt,
                "86400",
                "Lifetime of an email-verification token",
                false,
                {},
                1,
                2592000},
    SettingSpec{"auth.max_failed_logins",
                kInt,
                "5",
                "Failed logins for one account before it is locked",
                false,
                {},
                1,
                1000},
    SettingSpec{"auth.lockout_seconds",
                kInt,
                "900",
                "How long an account stays locked after too many failures",
                false,
                {},
                1,
                86400},
    SettingSpec{"auth.login_ip_per_minute",
                kInt,
                "30",
                "Login, register and reset attempts per client address per minute",
                false,
                {},
                1,
                1000000},
    SettingSpec{"auth.require_verified_email", kBool, "true",
                "Refuse sign-in until the email address is verified"},
    SettingSpec{"auth.public_url", kString, "http://127.0.0.1:8080",
                "Base URL put in emailed links (reset, verify)"},
    SettingSpec{
        "auth.smtp_url", kString, "",
        "SMTP server (smtp://host:587 or smtps://host:465); empty: mail goes to the outbox file"},
    SettingSpec{"auth.smtp_user", kString, "", "SMTP user name"},
    SettingSpec{"auth.smtp_password", kString, "", "SMTP password", true},
    SettingSpec{"auth.mail_from", kString, "futureim@localhost", "Sender of emails"},
    SettingSpec{"auth.outbox_path", kString, "meta/outbox.jsonl",
                "Where emails go (one JSON line each) when no SMTP server is configured"},

    SettingSpec{"log.level", kString, "info", "Log level", false, kLogLevels},
    SettingSpec{"log.format", kString, "auto",
                "Log format: json, text, or auto (text on a terminal)", false, kLogFormats},
};

std::string TypeName(SettingType type) {
  switch (type) {
    case kString:
      return "a string";
    case kInt:
      return "an integer";
    case kBool:
      return "true or false";
    case kStringList:
      return "a list of strings";
  }
  return "?";
}

std::string Trim(std::string_view text) {
  const auto begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return {};
  const auto end = text.find_last_not_of(" \t");
  return std::string(text.substr(begin, end - begin + 1));
}

// Names that look like secrets. A file that sets such a key is refused even
// when the key is unknown: the point is that the file must not hold one.
bool LooksSecret(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (std::string_view word : {"password", "passwd", "secret", "token", "api_key", "_key"}) {
    if (lower.find(word) != std::string::npos) return true;
  }
  return false;
}

void CheckRange(const SettingSpec& spec, const Config::Value& value, const std::string& where) {
  if (const auto* number = std::get_if<int64_t>(&value)) {
    if (*number < spec.min || *number > spec.max) {
      throw Error(where + ": " + std::string(spec.name) + " = " + std::to_string(*number) +
                  " is out of range [" + std::to_string(spec.min) + ", " +
                  std::to_string(spec.max) + "]");
    }
  }
  if (const auto* text = std::get_if<std::string>(&value); text && !spec.allowed.empty()) {
    if (std::find(spec.allowed.begin(), spec.allowed.end(), *text) == spec.allowed.end()) {
      std::string options;
      for (auto option : spec.allowed)
        options += (options.empty() ? "" : ", ") + std::string(option);
      throw Error(where + ": " + std::string(spec.name) + " = '" + *text +
                  "' is not one of: " + options);
    }
  }
}

// Parses a value in environment-variable syntax (also the defaults' syntax).
Config::Value ParseText(const SettingSpec& spec, std::string_view text, const std::string& where) {
  switch (spec.type) {
    case kString:
      return std::string(text);
    case kInt: {
      const std::string trimmed = Trim(text);
      int64_t number = 0;
      const auto [end, ec] =
          std::from_chars(trimmed.data(), trimmed.data() + trimmed.size(), number);
      if (trimmed.empty() || ec != std::errc() || end != trimmed.data() + trimmed.size()) {
        throw Error(where + ": " + std::string(spec.name) + " expects an integer, got '" +
                    std::string(text) + "'");
      }
      return number;
    }
    case kBool: {
      std::string lower = Trim(text);
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (lower == "true" || lower == "1" || lower == "yes" || lower == "on") return true;
      if (lower == "false" || lower == "0" || lower == "no" || lower == "off") return false;
      throw Error(where + ": " + std::string(spec.name) + " expects true or false, got '" +
                  std::string(text) + "'");
    }
    case kStringList: {
      std::vector<std::string> items;
      std::stringstream stream{std::string(text)};
      for (std::string item; std::getline(stream, item, ',');) {
        if (auto trimmed = Trim(item); !trimmed.empty()) items.push_back(std::move(trimmed));
      }
      return items;
    }
  }
  throw std::logic_error("unhandled setting type");
}

Config::Value FromToml(const SettingSpec& spec, const toml::node& node, const std::string& where) {
  const auto wrong_type = [&] {
    return Error(where + ": " + std::string(spec.name) + " expects " + TypeName(spec.type));
  };
  switch (spec.type) {
    case kString:
      if (!node.is_string()) throw wrong_type();
      return std::string(node.as_string()->get());
    case kInt:
      if (!node.is_integer()) throw wrong_type();
      return node.as_integer()->get();
    case kBool:
      if (!node.is_boolean()) throw wrong_type();
      return node.as_boolean()->get();
    case kStringList: {
      const auto* array = node.as_array();
      if (array == nullptr) throw wrong_type();
      std::vector<std::string> items;
      for (const auto& item : *array) {
        if (!item.is_string()) throw wrong_type();
        items.emplace_back(item.as_string()->get());
      }
      return items;
    }
  }
  throw std::logic_error("unhandled setting type");
}

std::string Where(const std::filesystem::path& file, const toml::source_region& region) {
  return file.filename().string() + ":" + std::to_string(region.begin.line);
}

}  // namespace

std::span<const SettingSpec> Config::Settings() { return kSettings; }

const SettingSpec* Config::FindSetting(std::string_view name) {
  for (const auto& spec : kSettings) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

std::string Config::EnvVarName(std::string_view setting) {
  std::string name = "FUTUREIM_";
  for (char c : setting) {
    name += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return name;
}

Config Config::Load(const std::filesystem::path& file, const std::filesystem::path& base_dir,
                    const Environment& env) {
  Config config;
  config.file_ = file;
  config.base_dir_ = base_dir;
  for (const auto& spec : kSettings) {
    if (spec.secret) continue;
    config.values_[std::string(spec.name)] = ParseText(spec, spec.default_value, "default");
    config.origins_[std::string(spec.name)] = "default";
  }

  std::error_code ec;
  if (!file.empty() && std::filesystem::exists(file, ec)) {
    toml::table root;
    try {
      root = toml::parse_file(file.string());
    } catch (const toml::parse_error& e) {
      throw Error(file.filename().string() + ":" + std::to_string(e.source().begin.line) + ":" +
                  std::to_string(e.source().begin.column) +
                  ": invalid TOML: " + std::string(e.description()));
    }
    for (const auto& [section, section_node] : root) {
      const auto* table = section_node.as_table();
      if (table == nullptr) {
        throw Error(Where(file, section_node.source()) + ": '" + std::string(section.str()) +
                    "' must be a [section]; settings are named like [source] host = ...");
      }
      for (const auto& [key, node] : *table) {
        const std::string name = std::string(section.str()) + "." + std::string(key.str());
        const std::string where = Where(file, node.source());
        const SettingSpec* spec = FindSetting(name);
        if ((spec != nullptr && spec->secret) || (spec == nullptr && LooksSecret(name))) {
          throw Error(where + ": '" + name +
                      "' is a secret and is refused in the config file; set " + EnvVarName(name) +
                      " in the environment or put it in the key store instead");
        }
        if (spec == nullptr) throw Error(where + ": unknown setting '" + name + "'");
        Value value = FromToml(*spec, node, where);
        CheckRange(*spec, value, where);
        config.values_[name] = std::move(value);
        config.origins_[name] = where;
      }
    }
  }

  for (const auto& spec : kSettings) {
    if (spec.secret) continue;
    const std::string var = EnvVarName(spec.name);
    if (auto text = env.Get(var)) {
      const std::string where = "environment " + var;
      Value value = ParseText(spec, *text, where);
      CheckRange(spec, value, where);
      config.values_[std::string(spec.name)] = std::move(value);
      config.origins_[std::string(spec.name)] = "env " + var;
    }
  }
  return config;
}

const Config::Value& Config::Get(std::string_view name, SettingType type) const {
  const SettingSpec* spec = FindSetting(name);
  if (spec == nullptr || spec->type != type || spec->secret) {
    throw std::logic_error("no non-secret setting '" + std::string(name) + "' of that type");
  }
  return values_.find(name)->second;
}

std::string Config::GetString(std::string_view name) const {
  return std::get<std::string>(Get(name, kString));
}
int64_t Config::GetInt(std::string_view name) const { return std::get<int64_t>(Get(name, kInt)); }
bool Config::GetBool(std::string_view name) const { return std::get<bool>(Get(name, kBool)); }
std::vector<std::string> Config::GetList(std::string_view name) const {
  return std::get<std::vector<std::string>>(Get(name, kStringList));
}

std::filesystem::path Config::GetPath(std::string_view name) const {
  std::filesystem::path path = GetString(name);
  if (path.empty() || path.is_absolute()) return path;
  return base_dir_ / path;
}

std::string Config::Origin(std::string_view name) const {
  const auto it = origins_.find(name);
  return it == origins_.end() ? "unset" : it->second;
}

std::string Config::DefaultFileText() {
  std::string text =
      "# futureim configuration. Every setting can be overridden by an environment\n"
      "# variable: [section] name -> FUTUREIM_SECTION_NAME. Secrets (passwords, keys)\n"
      "# are refused here: they come from the environment or the key store file.\n";
  std::string_view section;
  for (const auto& spec : kSettings) {
    if (spec.secret) continue;
    const auto dot = spec.name.find('.');
    if (spec.name.substr(0, dot) != section) {
      section = spec.name.substr(0, dot);
      text += "\n[" + std::string(section) + "]\n";
    }
    text += "# " + std::string(spec.help) + "\n";
    text += std::string(spec.name.substr(dot + 1)) + " = ";
    switch (spec.type) {
      case kString:
        text += "\"" + std::string(spec.default_value) + "\"";
        break;
      case kInt:
      case kBool:
        text += std::string(spec.default_value);
        break;
      case kStringList: {
        const auto items =
            std::get<std::vector<std::string>>(ParseText(spec, spec.default_value, "default"));
        text += "[";
        for (size_t i = 0; i < items.size(); ++i) text += (i ? ", \"" : "\"") + items[i] + "\"";
        text += "]";
        break;
      }
    }
    text += "\n";
  }
  return text;
}

}  // namespace futureim::core
