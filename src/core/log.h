#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace futureim::core {

enum class LogFormat { kJson, kText };

// Configures the process's logger (stderr). Called once by main; everything
// else only logs. `format` "auto" picks text on a terminal and JSON otherwise.
void ConfigureLogging(std::string_view level, std::string_view format);

// Structured logging: an event name plus fields. JSON format writes one object
// per line: {"ts":..., "level":..., "event":..., <fields>}; text format writes
// "ts level event key=value ...". Fields whose names suggest a secret
// (password, token, secret, private/api/encryption key, card number, pan,
// cvv, authorization) are redacted in both.
namespace log {
void Debug(std::string_view event, const nlohmann::json& fields = nlohmann::json::object());
void Info(std::string_view event, const nlohmann::json& fields = nlohmann::json::object());
void Warn(std::string_view event, const nlohmann::json& fields = nlohmann::json::object());
void Error(std::string_view event, const nlohmann::json& fields = nlohmann::json::object());
}  // namespace log

// Renders one log line; exposed for tests.
std::string FormatLogLine(LogFormat format, std::string_view timestamp, std::string_view level,
                          std::string_view event, const nlohmann::json& fields);

}  // namespace futureim::core
