#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/request_schema.h"
#include "auth/auth_service.h"
#include "auth/role.h"

namespace futureim::api {

// What a route handler gets: the request, already matched, authenticated and
// validated (body and query hold exactly the declared fields, typed).
struct RequestContext {
  std::string method;
  std::string path;
  std::map<std::string, std::string> params;  // {name} segments of the pattern
  nlohmann::json query = nlohmann::json::object();
  nlohmann::json body = nlohmann::json::object();
  std::optional<auth::Principal> principal;  // set on routes that need a role
  std::string client_ip;
  std::string request_id;

  auth::RequestOrigin origin() const { return {client_ip}; }
};

// A handler's answer: JSON (or, for a precomputed body, its text).
struct RouteResponse {
  unsigned status = 200;
  nlohmann::json body = nullptr;
  // When set, sent as is instead of `body`: JSON text, or another format
  // when `headers` carries its Content-Type (GET /metrics).
  std::string raw_json = {};
  std::vector<std::pair<std::string, std::string>> headers = {};
};

// Whether a route may run on an I/O thread: only cheap, never-blocking work
// does; everything else (password hashing, SQL, disk) goes to the worker pool.
enum class Execution { kInline, kWorkerPool };

// Extra throttling beyond the per-IP and per-user limits.
enum class Throttle { kNone, kCredentials };  // login/register/reset: auth.login_ip_per_minute

struct Route {
  std::string method = {};   // "GET", "POST", "PATCH", "DELETE"
  std::string pattern = {};  // "/admin/users/{id}"
  std::string summary = {};
  std::string tag = {};                     // OpenAPI grouping: "auth", "admin", "system"
  std::optional<auth::Role> required = {};  // nullopt: public
  std::vector<FieldSpec> body = {};         // empty: the route takes no body
  std::vector<FieldSpec> query = {};
  Execution execution = Execution::kWorkerPool;
  Throttle throttle = Throttle::kNone;
  std::vector<unsigned> responses = {200};  // documented success statuses
  std::function<RouteResponse(RequestContext&)> handler = {};
};

// The routes of every area, matched by method and path. A pattern is a
// sequence of literal segments and {name} segments; a {name} matches one
// non-empty segment. Literal segments win over parameters, so /a/me and
// /a/{id} can coexist.
class RouteTable {
 public:
  struct Match {
    const Route* route = nullptr;
    std::map<std::string, std::string> params;
    // When route is null: the methods the path does serve (empty: 404, else 405).
    std::vector<std::string> allowed_methods;
  };

  // Throws std::logic_error for a duplicate method + pattern.
  void Add(Route route);
  // `path` is decoded and without query string.
  Match Find(std::string_view method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

// The OpenAPI 3.0 document describing exactly the routes of `table`.
nlohmann::json OpenApiDocument(const RouteTable& table, std::string_view version);

}  // namespace futureim::api
