#include "core/log.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include "core/error.h"

namespace futureim::core {
namespace {

bool IsSensitiveField(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "pan" || lower == "key") return true;
  for (std::string_view word : {"password", "passwd", "token", "secret", "api_key", "private_key",
                                "encryption_key", "jwt", "card_number", "cvv", "authorization"}) {
    if (lower.find(word) != std::string::npos) return true;
  }
  return false;
}

nlohmann::json Redacted(const nlohmann::json& fields) {
  if (!fields.is_object()) return nlohmann::json{{"value", fields}};
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, value] : fields.items()) {
    out[name] = IsSensitiveField(name) ? nlohmann::json("[redacted]") : value;
  }
  return out;
}

// The payload travels through spdlog as the already-rendered line: spdlog
// only adds sinks, level filtering and thread safety.
class RenderedLineFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    dest.append(msg.payload.data(), msg.payload.data() + msg.payload.size());
    dest.push_back('\n');
  }
  std::unique_ptr<formatter> clone() const override {
    return std::make_unique<RenderedLineFormatter>();
  }
};

// The chosen format lives in the logger's name, so there is one owner of the
// logging state: spdlog's default logger, set once by ConfigureLogging.
LogFormat CurrentFormat() {
  return spdlog::default_logger_raw()->name() == "text" ? LogFormat::kText : LogFormat::kJson;
}

std::string Timestamp() {
  const auto now = std::chrono::system_clock::now();
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(micros / 1000000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<long long>(micros % 1000000));
  return buf;
}

void Emit(spdlog::level::level_enum level, std::string_view event, const nlohmann::json& fields) {
  auto* logger = spdlog::default_logger_raw();
  if (!logger->should_log(level)) return;
  const auto name = spdlog::level::to_string_view(level);
  logger->log(level, FormatLogLine(CurrentFormat(), Timestamp(),
                                   std::string_view(name.data(), name.size()), event, fields));
}

}  // namespace

std::string FormatLogLine(LogFormat format, std::string_view timestamp, std::string_view level,
                          std::string_view event, const nlohmann::json& fields) {
  const nlohmann::json safe = Redacted(fields);
  if (format == LogFormat::kJson) {
    nlohmann::json line = {{"ts", timestamp}, {"level", level}, {"event", event}};
    for (const auto& [name, value] : safe.items()) {
      if (!line.contains(name)) line[name] = value;
    }
    return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  std::string line = std::string(timestamp) + " " + std::string(level) + " " + std::string(event);
  for (const auto& [name, value] : safe.items()) {
    line +=
        " " + name + "=" +
        (value.is_string() ? value.get<std::string>()
                           : value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
  return line;
}

void ConfigureLogging(std::string_view level, std::string_view format) {
  const bool text = format == "text" || (format == "auto" && ::isatty(STDERR_FILENO) == 1);
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  auto logger = std::make_shared<spdlog::logger>(text ? "text" : "json", sink);
  logger->set_formatter(std::make_unique<RenderedLineFormatter>());
  const auto parsed = spdlog::level::from_str(std::string(level));
  if (parsed == spdlog::level::off && level != "off") {
    throw Error("unknown log level '" + std::string(level) + "'");
  }
  logger->set_level(parsed);
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(std::move(logger));
}

namespace log {
void Debug(std::string_view event, const nlohmann::json& fields) {
  Emit(spdlog::level::debug, event, fields);
}
void Info(std::string_view event, const nlohmann::json& fields) {
  Emit(spdlog::level::info, event, fields);
}
void Warn(std::string_view event, const nlohmann::json& fields) {
  Emit(spdlog::level::warn, event, fields);
}
void Error(std::string_view event, const nlohmann::json& fields) {
  Emit(spdlog::level::err, event, fields);
}
}  // namespace log

}  // namespace futureim::core
