#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace futureim::api {

enum class FieldType { kString, kInteger, kBoolean, kStringList };

// One field of a request body (JSON object) or query string.
struct FieldSpec {
  std::string name = {};
  FieldType type = FieldType::kString;
  bool required = true;
  std::string description = {};
  size_t max_length = 1024;  // strings and list items, bytes
  int64_t min = INT64_MIN;   // integers
  int64_t max = INT64_MAX;
  std::vector<std::string> allowed = {};  // enumerated strings (and list items)
};

// Checks a JSON body against its fields: it must be an object; every required
// field present; every field of the declared type, length, range and value
// set; no unknown fields. Throws ApiError 400 naming the field.
void ValidateBody(const nlohmann::json& body, const std::vector<FieldSpec>& fields);

// Parses the query-string parameters (already decoded) into typed JSON by
// the same rules (integers and booleans from their text). Unknown
// parameters are refused too, so a typo never silently widens a filter.
nlohmann::json ParseQuery(const std::map<std::string, std::string>& query,
                          const std::vector<FieldSpec>& fields);

// The JSON Schema of a field (for /openapi.json).
nlohmann::json FieldSchema(const FieldSpec& field);

}  // namespace futureim::api
