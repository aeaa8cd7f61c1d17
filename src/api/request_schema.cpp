#include "api/request_schema.h"

#include <algorithm>
#include <charconv>

#include "api/api_error.h"
#include "core/utf8.h"

namespace futureim::api {
namespace {

[[noreturn]] void Invalid(const std::string& field, const std::string& problem) {
  throw ApiError(400, "invalid_request", field + ": " + problem, field);
}

void CheckString(const FieldSpec& spec, const std::string& value, const std::string& where) {
  if (value.size() > spec.max_length) {
    Invalid(where, "longer than " + std::to_string(spec.max_length) + " bytes");
  }
  if (!spec.allowed.empty() &&
      std::find(spec.allowed.begin(), spec.allowed.end(), value) == spec.allowed.end()) {
    std::string list;
    for (const auto& allowed : spec.allowed) list += (list.empty() ? "" : ", ") + allowed;
    Invalid(where, "must be one of " + list);
  }
}

void CheckField(const FieldSpec& spec, const nlohmann::json& value) {
  switch (spec.type) {
    case FieldType::kString:
      if (!value.is_string()) Invalid(spec.name, "must be a string");
      CheckString(spec, value.get_ref<const std::string&>(), spec.name);
      break;
    case FieldType::kInteger: {
      if (!value.is_number_integer()) Invalid(spec.name, "must be an integer");
      if (value.is_number_unsigned() && value.get<uint64_t>() > INT64_MAX) {
        Invalid(spec.name, "is out of range");
      }
      const int64_t number = value.get<int64_t>();
      if (number < spec.min || number > spec.max) {
        Invalid(spec.name,
                "must be between " + std::to_string(spec.min) + " and " + std::to_string(spec.max));
      }
      break;
    }
    case FieldType::kBoolean:
      if (!value.is_boolean()) Invalid(spec.name, "must be true or false");
      break;
    case FieldType::kStringList:
      if (!value.is_array()) Invalid(spec.name, "must be a list of strings");
      if (value.size() > 64) Invalid(spec.name, "has more than 64 items");
      for (const auto& item : value) {
        if (!item.is_string()) Invalid(spec.name, "must be a list of strings");
        CheckString(spec, item.get_ref<const std::string&>(), spec.name);
      }
      break;
  }
}

const FieldSpec* Find(const std::vector<FieldSpec>& fields, std::string_view name) {
  for (const auto& field : fields) {
    if (field.name == name) return &field;
  }
  return nullptr;
}

}  // namespace

void ValidateBody(const nlohmann::json& body, const std::vector<FieldSpec>& fields) {
  if (!body.is_object()) throw ApiError(400, "invalid_request", "the body must be a JSON object");
  for (const auto& [name, value] : body.items()) {
    if (!Find(fields, name)) Invalid(name, "is not a field of this request");
  }
  for (const auto& field : fields) {
    auto it = body.find(field.name);
    if (it == body.end() || it->is_null()) {
      if (field.required) Invalid(field.name, "is required");
      continue;
    }
    CheckField(field, *it);
  }
}

nlohmann::json ParseQuery(const std::map<std::string, std::string>& query,
                          const std::vector<FieldSpec>& fields) {
  nlohmann::json parsed = nlohmann::json::object();
  for (const auto& [name, text] : query) {
    const FieldSpec* spec = Find(fields, name);
    if (!spec) Invalid(name, "is not a parameter of this request");
    if (core::FirstInvalidUtf8(text) != std::string_view::npos) Invalid(name, "is not valid UTF-8");
    switch (spec->type) {
      case FieldType::kString:
        parsed[name] = text;
        break;
      case FieldType::kInteger: {
        int64_t number = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
        if (ec != std::errc() || end != text.data() + text.size()) {
          Invalid(name, "must be an integer");
        }
        parsed[name] = number;
        break;
      }
      case FieldType::kBoolean:
        if (text != "true" && text != "false") Invalid(name, "must be true or false");
        parsed[name] = text == "true";
        break;
      case FieldType::kStringList: {
        nlohmann::json list = nlohmann::json::array();
        size_t start = 0;
        while (start <= text.size()) {
          const size_t comma = std::min(text.find(',', start), text.size());
          list.push_back(text.substr(start, comma - start));
          start = comma + 1;
        }
        parsed[name] = list;
        break;
      }
    }
  }
  for (const auto& field : fields) {
    if (!parsed.contains(field.name)) {
      if (field.required) Invalid(field.name, "is required");
      continue;
    }
    CheckField(field, parsed[field.name]);
  }
  return parsed;
}

nlohmann::json FieldSchema(const FieldSpec& field) {
  nlohmann::json schema;
  switch (field.type) {
    case FieldType::kString:
      schema = {{"type", "string"}, {"maxLength", field.max_length}};
      if (!field.allowed.empty()) schema["enum"] = field.allowed;
      break;
    case FieldType::kInteger:
      schema = {{"type", "integer"}, {"format", "int64"}};
      if (field.min != INT64_MIN) schema["minimum"] = field.min;
      if (field.max != INT64_MAX) schema["maximum"] = field.max;
      break;
    case FieldType::kBoolean:
      schema = {{"type", "boolean"}};
      break;
    case FieldType::kStringList: {
      nlohmann::json items = {{"type", "string"}, {"maxLength", field.max_length}};
      if (!field.allowed.empty()) items["enum"] = field.allowed;
      schema = {{"type", "array"}, {"items", items}, {"maxItems", 64}};
      break;
    }
  }
  if (!field.description.empty()) schema["description"] = field.description;
  return schema;
}

}  // namespace futureim::api
