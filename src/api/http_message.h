#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace futureim::api {

// A request as the transport received it, independent of the HTTP library so
// that everything above the server (gateway, routes) compiles and tests
// without it. Header names are lower-cased.
struct HttpRequest {
  std::string method;  // "GET", "POST"...
  std::string target;  // path and query, as sent
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string client_ip;
  bool tls = false;

  // The first header with this (lower-case) name, or "".
  std::string_view Header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
      if (key == name) return value;
    }
    return {};
  }
};

struct HttpResponse {
  unsigned status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  void SetHeader(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
};

// What the server hands requests to. Handle may answer later and from any
// thread (blocking work runs on a worker pool); `respond` must be called
// exactly once.
class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  virtual void Handle(HttpRequest request, std::function<void(HttpResponse)> respond) = 0;
  // The answer for a request the transport refused before it was complete
  // (too large: 413/431, malformed: 400), with the usual headers and body.
  virtual HttpResponse Refuse(unsigned status, std::string_view code, std::string_view message,
                              bool tls) = 0;
};

}  // namespace futureim::api
