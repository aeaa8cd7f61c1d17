#include "api/api_gateway.h"

#include <algorithm>
#include <chrono>

#include "api/api_error.h"
#include "auth/token_codec.h"
#include "core/log.h"
#include "core/utf8.h"

namespace futureim::api {
namespace {

using Clock = std::chrono::steady_clock;

// JSON API answers: no scripts, no framing, no sniffing, no caching, no referrer.
constexpr std::pair<const char*, const char*> kSecurityHeaders[] = {
    {"Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"X-Frame-Options", "DENY"},
    {"Referrer-Policy", "no-referrer"},
    {"Cache-Control", "no-store"},
};

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) {
        throw ApiError(400, "bad_target", "the request target has a bad percent-encoding");
      }
      const int high = HexValue(text[i + 1]);
      const int low = HexValue(text[i + 2]);
      if (high < 0 || low < 0) {
        throw ApiError(400, "bad_target", "the request target has a bad percent-encoding");
      }
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  if (out.find('\0') != std::string::npos ||
      core::FirstInvalidUtf8(out) != std::string_view::npos) {
    throw ApiError(400, "bad_target", "the request target is not valid UTF-8");
  }
  return out;
}

// A client-chosen request id is kept only when it is short and plain, so it
// can go into logs and headers as is.
bool IsPlainRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') {
      return false;
    }
  }
  return true;
}

unsigned StatusOf(const auth::AuthError& error) {
  using Kind = auth::AuthError::Kind;
  switch (error.kind()) {
    case Kind::kInvalidInput:
      return 400;
    case Kind::kUnauthorized:
      return 401;
    case Kind::kForbidden:
      return 403;
    case Kind::kNotFound:
      return 404;
    case Kind::kConflict:
      return 409;
    case Kind::kLocked:
      return 429;
  }
  return 400;
}

std::string Dump(const nlohmann::json& json) {
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

DecodedTarget DecodeTarget(std::string_view target) {
  if (target.empty() || target.front() != '/') {
    throw ApiError(400, "bad_target", "the request target must be an absolute path");
  }
  const size_t question = target.find('?');
  DecodedTarget decoded;
  decoded.path = PercentDecode(target.substr(0, question), false);
  // Dot segments are refused rather than resolved: no route needs them and
  // a static-file route must never see one.
  size_t start = 1;
  while (start <= decoded.path.size()) {
    const size_t slash = std::min(decoded.path.find('/', start), decoded.path.size());
    const std::string_view segment(decoded.path.data() + start, slash - start);
    if (segment == "." || segment == ".." || segment.find('\\') != std::string_view::npos) {
      throw ApiError(400, "bad_target", "the request path may not contain . or .. segments");
    }
    start = slash + 1;
  }
  if (question == std::string_view::npos) return decoded;
  std::string_view query = target.substr(question + 1);
  while (!query.empty()) {
    const size_t amp = std::min(query.find('&'), query.size());
    const std::string_view pair = query.substr(0, amp);
    query.remove_prefix(std::min(amp + 1, query.size()));
    if (pair.empty()) continue;
    const size_t equals = pair.find('=');
    std::string name = PercentDecode(pair.substr(0, equals), true);
    std::string value =
        equals == std::string_view::npos ? "" : PercentDecode(pair.substr(equals + 1), true);
    if (!decoded.query.emplace(name, std::move(value)).second) {
      throw ApiError(400, "invalid_request", name + ": given more than once", name);
    }
  }
  return decoded;
}

struct ApiGateway::Exchange {
  HttpRequest request;
  std::function<void(HttpResponse)> respond;
  std::string request_id;
  std::string origin;  // allowed CORS origin, or ""
  Clock::time_point started;
  const Route* route = nullptr;
  RequestContext context;
};

ApiGateway::ApiGateway(const RouteTable& routes, auth::AuthService& auth, GatewayOptions options)
    : routes_(routes),
      auth_(auth),
      options_(std::move(options)),
      ip_limiter_(static_cast<double>(options_.ip_per_minute),
                  std::max<double>(10, static_cast<double>(options_.ip_per_minute) / 10)),
      user_limiter_(static_cast<double>(options_.user_per_minute),
                    std::max<double>(10, static_cast<double>(options_.user_per_minute) / 10)),
      credential_limiter_(
          static_cast<double>(options_.credential_ip_per_minute),
          std::max<double>(5, static_cast<double>(options_.credential_ip_per_minute) / 3)),
      workers_(options_.worker_threads, options_.max_queued_jobs) {}

std::string ApiGateway::AllowedOrigin(const HttpRequest& request) const {
  const std::string_view origin = request.Header("origin");
  if (origin.empty()) return {};
  for (const auto& allowed : options_.cors_origins) {
    if (allowed == origin) return allowed;
  }
  return {};
}

HttpResponse ApiGateway::Finish(const Exchange& exchange, unsigned status, std::string body,
                                std::vector<std::pair<std::string, std::string>> extra_headers) {
  HttpResponse response;
  response.status = status;
  response.headers = std::move(extra_headers);
  // A route may answer in another format (GET /metrics: Prometheus text).
  const bool typed = std::any_of(response.headers.begin(), response.headers.end(),
                                 [](const auto& header) { return header.first == "Content-Type"; });
  if (!body.empty() && !typed) {
    response.SetHeader("Content-Type", "application/json; charset=utf-8");
  }
  response.SetHeader("X-Request-Id", exchange.request_id);
  for (const auto& [name, value] : kSecurityHeaders) response.SetHeader(name, value);
  if (exchange.request.tls) {
    response.SetHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  }
  if (!exchange.origin.empty()) {
    response.SetHeader("Access-Control-Allow-Origin", exchange.origin);
    response.SetHeader("Access-Control-Expose-Headers", "X-Request-Id, Retry-After");
    response.SetHeader("Vary", "Origin");
  }
  response.body = std::move(body);
  LogExchange(exchange, status);
  return response;
}

void ApiGateway::LogExchange(const Exchange& exchange, unsigned status) const {
  const auto elapsed =
      std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - exchange.started);
  core::log::Info("http_request",
                  {{"request_id", exchange.request_id},
                   {"method", exchange.request.method},
                   // The route pattern, not the path: paths may hold ids.
                   {"route", exchange.route ? exchange.route->pattern : std::string("-")},
                   {"status", status},
                   {"us", elapsed.count()},
                   {"client", exchange.request.client_ip}});
  if (options_.metrics) {
    options_.metrics->Record(exchange.request.method,
                             exchange.route ? std::string_view(exchange.route->pattern) : "",
                             status, static_cast<double>(elapsed.count()) / 1e6);
  }
}

HttpResponse ApiGateway::ErrorResponse(const Exchange& exchange, unsigned status,
                                       std::string_view code, std::string_view message,
                                       std::string_view field,
                                       std::vector<std::pair<std::string, std::string>> extra) {
  nlohmann::json error = {{"code", code}, {"message", message}};
  if (!field.empty()) error["field"] = field;
  return Finish(exchange, status, Dump({{"error", error}}), std::move(extra));
}

HttpResponse ApiGateway::Refuse(unsigned status, std::string_view code, std::string_view message,
                                bool tls) {
  Exchange exchange;
  exchange.request.tls = tls;
  exchange.request.method = "-";
  exchange.request_id = auth::NewId();
  exchange.started = Clock::now();
  auto response = ErrorResponse(exchange, status, code, message);
  response.SetHeader("Connection", "close");
  return response;
}

void ApiGateway::Handle(HttpRequest request, std::function<void(HttpResponse)> respond) {
  auto exchange = std::make_shared<Exchange>();
  exchange->started = Clock::now();
  const std::string_view given_id = request.Header("x-request-id");
  exchange->request_id = IsPlainRequestId(given_id) ? std::string(given_id) : auth::NewId();
  exchange->origin = AllowedOrigin(request);
  exchange->request = std::move(request);
  exchange->respond = std::move(respond);
  try {
    Dispatch(exchange);
  } catch (...) {
    exchange->respond(CurrentErrorResponse(*exchange));
  }
}

HttpResponse ApiGateway::CurrentErrorResponse(const Exchange& exchange) {
  try {
    throw;
  } catch (const ApiError& e) {
    return ErrorResponse(exchange, e.status(), e.code(), e.what(), e.field());
  } catch (const auth::AuthError& e) {
    std::vector<std::pair<std::string, std::string>> extra;
    if (e.kind() == auth::AuthError::Kind::kLocked) {
      extra.emplace_back("Retry-After",
                         std::to_string(std::max<int64_t>(1, e.retry_after_seconds)));
    }
    if (e.kind() == auth::AuthError::Kind::kUnauthorized) {
      extra.emplace_back("WWW-Authenticate", "Bearer");
    }
    return ErrorResponse(exchange, StatusOf(e), e.code(), e.what(), e.field(), extra);
  } catch (const std::exception& e) {
    // Internal messages go to the log only; the client gets the request id.
    core::log::Error("http_request_failed",
                     {{"request_id", exchange.request_id}, {"error", e.what()}});
    return ErrorResponse(exchange, 500, "internal_error",
                         "the server could not complete the request");
  }
}

void ApiGateway::Dispatch(const std::shared_ptr<Exchange>& exchange) {
  const HttpRequest& request = exchange->request;
  const auto now = Clock::now();
  int64_t retry_after = 0;
  auto too_many = [&](const char* what) {
    exchange->respond(
        ErrorResponse(*exchange, 429, "rate_limited", what, {},
                      {{"Retry-After", std::to_string(std::max<int64_t>(1, retry_after))}}));
  };
  if (!ip_limiter_.Allow(request.client_ip, now, &retry_after)) {
    return too_many("too many requests from this address; slow down");
  }
  DecodedTarget target = DecodeTarget(request.target);

  if (request.method == "OPTIONS") {
    // CORS preflight (or a plain OPTIONS): what the path serves.
    auto match = routes_.Find("OPTIONS", target.path);
    if (match.allowed_methods.empty()) {
      return exchange->respond(ErrorResponse(*exchange, 404, "not_found", "no such route"));
    }
    std::string methods = "OPTIONS";
    for (const auto& method : match.allowed_methods) methods += ", " + method;
    std::vector<std::pair<std::string, std::string>> headers = {{"Allow", methods}};
    if (!exchange->origin.empty()) {
      headers.emplace_back("Access-Control-Allow-Methods", methods);
      headers.emplace_back("Access-Control-Allow-Headers",
                           "Authorization, Content-Type, X-Request-Id");
      headers.emplace_back("Access-Control-Max-Age", "600");
    }
    return exchange->respond(Finish(*exchange, 204, {}, std::move(headers)));
  }

  auto match = routes_.Find(request.method, target.path);
  if (!match.route && match.allowed_methods.empty() && options_.static_files) {
    // No API route has this path: the dashboard's files (or, for a page
    // navigation, its index.html) may answer it.
    if (auto page = options_.static_files->Serve(request, target.path, request.tls)) {
      page->SetHeader("X-Request-Id", exchange->request_id);
      LogExchange(*exchange, page->status);
      return exchange->respond(std::move(*page));
    }
  }
  if (!match.route) {
    if (match.allowed_methods.empty()) {
      return exchange->respond(ErrorResponse(*exchange, 404, "not_found", "no such route"));
    }
    std::string allow;
    for (const auto& method : match.allowed_methods) allow += (allow.empty() ? "" : ", ") + method;
    return exchange->respond(ErrorResponse(*exchange, 405, "method_not_allowed",
                                           "this route does not take " + request.method, {},
                                           {{"Allow", allow}}));
  }
  const Route& route = *match.route;
  exchange->route = &route;
  if (route.throttle == Throttle::kCredentials &&
      !credential_limiter_.Allow(request.client_ip, now, &retry_after)) {
    return too_many("too many sign-in attempts from this address; wait a minute");
  }

  RequestContext& context = exchange->context;
  context.method = request.method;
  context.path = target.path;
  context.params = std::move(match.params);
  context.client_ip = request.client_ip;
  context.request_id = exchange->request_id;

  if (route.required) {
    const std::string_view authorization = request.Header("authorization");
    constexpr std::string_view kBearer = "Bearer ";
    if (authorization.size() <= kBearer.size() ||
        authorization.substr(0, kBearer.size()) != kBearer) {
      throw auth::AuthError(auth::AuthError::Kind::kUnauthorized, "unauthorized",
                            "a valid access token is required (Authorization: Bearer ...)");
    }
    context.principal = auth_.Authenticate(authorization.substr(kBearer.size()));
    if (!auth::Satisfies(context.principal->roles, *route.required)) {
      throw ApiError(
          403, "forbidden",
          "this route needs the " + std::string(auth::RoleName(*route.required)) + " role");
    }
    if (!user_limiter_.Allow(context.principal->user_id, now, &retry_after)) {
      return too_many("too many requests for this account; slow down");
    }
  }

  context.query = ParseQuery(target.query, route.query);
  if (!route.body.empty()) {
    const std::string_view type = request.Header("content-type");
    if (type.substr(0, type.find(';')) != "application/json") {
      throw ApiError(415, "unsupported_media_type", "send the body as application/json");
    }
    context.body = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
    if (context.body.is_discarded()) {
      throw ApiError(400, "invalid_json", "the body is not valid JSON (UTF-8)");
    }
    ValidateBody(context.body, route.body);
  } else if (!request.body.empty()) {
    throw ApiError(400, "invalid_request", "this route takes no request body");
  }

  if (route.execution == Execution::kInline) return Run(exchange);
  if (!workers_.TrySubmit([this, exchange] { Run(exchange); })) {
    exchange->respond(ErrorResponse(*exchange, 503, "busy", "the server is busy; retry shortly", {},
                                    {{"Retry-After", "1"}}));
  }
}

void ApiGateway::Run(const std::shared_ptr<Exchange>& exchange) {
  try {
    RouteResponse result = exchange->route->handler(exchange->context);
    std::string body;
    if (!result.raw_json.empty()) {
      body = std::move(result.raw_json);
    } else if (result.status != 204 && !result.body.is_null()) {
      body = Dump(result.body);
    }
    exchange->respond(Finish(*exchange, result.status, std::move(body), std::move(result.headers)));
  } catch (...) {
    exchange->respond(CurrentErrorResponse(*exchange));
  }
}

}  // namespace futureim::api
