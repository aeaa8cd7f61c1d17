#include "api/route_table.h"

#include <stdexcept>

namespace futureim::api {
namespace {

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> segments;
  size_t start = 1;  // paths start with '/'
  while (start <= path.size()) {
    const size_t slash = std::min(path.find('/', start), path.size());
    segments.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return segments;
}

bool IsParameter(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// Matches one pattern; returns its number of literal segments (higher wins)
// or -1 when it does not match.
int MatchPattern(std::string_view pattern, std::string_view path,
                 std::map<std::string, std::string>* params) {
  const auto want = Segments(pattern);
  const auto have = Segments(path);
  if (want.size() != have.size()) return -1;
  int literals = 0;
  std::map<std::string, std::string> found;
  for (size_t i = 0; i < want.size(); ++i) {
    if (IsParameter(want[i])) {
      if (have[i].empty()) return -1;
      found.emplace(std::string(want[i].substr(1, want[i].size() - 2)), std::string(have[i]));
    } else if (want[i] == have[i]) {
      ++literals;
    } else {
      return -1;
    }
  }
  if (params) *params = std::move(found);
  return literals;
}

}  // namespace

void RouteTable::Add(Route route) {
  for (const auto& existing : routes_) {
    if (existing.method == route.method && existing.pattern == route.pattern) {
      throw std::logic_error("duplicate route " + route.method + " " + route.pattern);
    }
  }
  routes_.push_back(std::move(route));
}

RouteTable::Match RouteTable::Find(std::string_view method, std::string_view path) const {
  Match match;
  int best = -1;
  if (path.empty() || path.front() != '/') return match;
  for (const auto& route : routes_) {
    std::map<std::string, std::string> params;
    const int score = MatchPattern(route.pattern, path, &params);
    if (score < 0) continue;
    if (route.method != method) {
      match.allowed_methods.push_back(route.method);
      continue;
    }
    if (score > best) {
      best = score;
      match.route = &route;
      match.params = std::move(params);
    }
  }
  return match;
}

nlohmann::json OpenApiDocument(const RouteTable& table, std::string_view version) {
  nlohmann::json paths = nlohmann::json::object();
  for (const auto& route : table.routes()) {
    nlohmann::json operation = {{"summary", route.summary}, {"tags", {route.tag}}};
    nlohmann::json parameters = nlohmann::json::array();
    for (const auto& segment : Segments(route.pattern)) {
      if (IsParameter(segment)) {
        parameters.push_back({{"name", std::string(segment.substr(1, segment.size() - 2))},
                              {"in", "path"},
                              {"required", true},
                              {"schema", {{"type", "string"}}}});
      }
    }
    for (const auto& field : route.query) {
      parameters.push_back({{"name", field.name},
                            {"in", "query"},
                            {"required", field.required},
                            {"schema", FieldSchema(field)}});
    }
    if (!parameters.empty()) operation["parameters"] = parameters;
    if (!route.body.empty()) {
      nlohmann::json properties = nlohmann::json::object();
      nlohmann::json required = nlohmann::json::array();
      for (const auto& field : route.body) {
        properties[field.name] = FieldSchema(field);
        if (field.required) required.push_back(field.name);
      }
      nlohmann::json schema = {
          {"type", "object"}, {"properties", properties}, {"additionalProperties", false}};
      if (!required.empty()) schema["required"] = required;
      operation["requestBody"] = {{"required", true},
                                  {"content", {{"application/json", {{"schema", schema}}}}}};
    }
    nlohmann::json responses = nlohmann::json::object();
    for (unsigned status : route.responses) {
      responses[std::to_string(status)] = {{"description", "success"}};
    }
    responses["default"] = {{"$ref", "#/components/responses/Error"}};
    operation["responses"] = responses;
    if (route.required) {
      operation["security"] = {{{"bearer", nlohmann::json::array()}}};
      operation["x-required-role"] = auth::RoleName(*route.required);
    } else {
      operation["security"] = nlohmann::json::array();
    }
    std::string method = route.method;
    for (auto& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    paths[route.pattern][method] = operation;
  }
  nlohmann::json error_fields = {{"code", {{"type", "string"}}},
                                 {"message", {{"type", "string"}}},
                                 {"field", {{"type", "string"}}}};
  nlohmann::json error_object = {
      {"type", "object"}, {"required", {"code", "message"}}, {"properties", error_fields}};
  nlohmann::json error_schema = {
      {"type", "object"}, {"required", {"error"}}, {"properties", {{"error", error_object}}}};
  nlohmann::json error_response = {
      {"description", "an error: {\"error\": {\"code\", \"message\"}}"},
      {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
  nlohmann::json components = {
      {"securitySchemes",
       {{"bearer", {{"type", "http"}, {"scheme", "bearer"}, {"bearerFormat", "JWT"}}}}},
      {"schemas", {{"Error", error_schema}}},
      {"responses", {{"Error", error_response}}}};
  return {{"openapi", "3.0.3"},
          {"info", {{"title", "FutureIM API"}, {"version", version}}},
          {"paths", paths},
          {"components", components}};
}

}  // namespace futureim::api
