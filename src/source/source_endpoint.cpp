#include "source/source_endpoint.h"

#include <cctype>
#include <charconv>
#include <string>

#include "core/error.h"

namespace futureim::source {
namespace {

constexpr std::string_view kUriForm =
    "mysql://user[:password]@host[:port]/database[?socket=/path&tls=required]";

[[noreturn]] void Fail(const std::string& what) {
  throw core::Error("invalid source URI: " + what + " (expected " + std::string(kUriForm) + ")");
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

// Decodes %XX escapes. `what` names the part in errors; the text itself is
// never echoed, since it may be the password.
std::string PercentDecode(std::string_view text, std::string_view what) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    const int high = i + 2 < text.size() ? HexValue(text[i + 1]) : -1;
    const int low = i + 2 < text.size() ? HexValue(text[i + 2]) : -1;
    if (high < 0 || low < 0) {
      Fail("bad percent-encoding in the " + std::string(what) +
           " ('%' must be followed by two hex digits)");
    }
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

// Encodes everything but RFC 3986 unreserved characters (and `keep`).
std::string PercentEncode(std::string_view text, std::string_view keep = {}) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~' ||
        keep.find(c) != std::string_view::npos) {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    }
  }
  return out;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

int ParsePort(std::string_view text) {
  int port = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, port);
  if (text.empty() || ec != std::errc() || ptr != end || port < 1 || port > 65535) {
    Fail("the port '" + std::string(text) + "' is not a number from 1 to 65535");
  }
  return port;
}

bool ParseTls(std::string_view value) {
  const std::string v = Lower(value);
  if (v == "required" || v == "require" || v == "true" || v == "1" || v == "yes") {
    return true;
  }
  if (v == "preferred" || v == "prefer" || v == "disabled" || v == "false" || v == "0" ||
      v == "no") {
    return false;
  }
  Fail("tls='" + std::string(value) + "' is not one of required, preferred, disabled");
}

}  // namespace

SourceEndpoint SourceEndpoint::FromUri(std::string_view uri) {
  const size_t scheme_end = uri.find("://");
  if (scheme_end == std::string_view::npos) {
    Fail("it does not start with mysql://");
  }
  const std::string scheme = Lower(uri.substr(0, scheme_end));
  if (scheme != "mysql" && scheme != "mariadb") {
    // Echo the scheme only when it looks like one: text before "://" could
    // be anything, a password included.
    const bool plain =
        scheme.size() <= 16 &&
        scheme.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789+.-") == std::string::npos;
    Fail(plain ? "unsupported scheme '" + scheme + "://', use mysql:// or mariadb://"
               : "unsupported scheme, use mysql:// or mariadb://");
  }
  std::string_view rest = uri.substr(scheme_end + 3);

  // The query starts at the first '?'; the user part ends at the last '@'
  // before it, so an unencoded '@', ':' or '/' in a password still parses.
  std::string_view query;
  if (const size_t q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  const size_t at = rest.rfind('@');
  if (at == std::string_view::npos) {
    Fail("the user is missing (user@host)");
  }
  const std::string_view user_info = rest.substr(0, at);
  std::string_view location = rest.substr(at + 1);

  SourceEndpoint endpoint;
  const size_t colon = user_info.find(':');
  endpoint.user = PercentDecode(user_info.substr(0, colon), "user");
  if (colon != std::string_view::npos) {
    endpoint.password = PercentDecode(user_info.substr(colon + 1), "password");
  }
  if (endpoint.user.empty()) {
    Fail("the user is empty");
  }

  std::string_view host_port = location;
  if (const size_t slash = location.find('/'); slash != std::string_view::npos) {
    host_port = location.substr(0, slash);
    const std::string_view path = location.substr(slash + 1);
    if (path.find('/') != std::string_view::npos) {
      Fail("the database '" + std::string(path) + "' must not contain '/'");
    }
    endpoint.database = PercentDecode(path, "database");
  }

  std::string_view host = host_port;
  std::string_view port;
  if (host_port.starts_with('[')) {
    const size_t close = host_port.find(']');
    if (close == std::string_view::npos) {
      Fail("the IPv6 host has no closing ']'");
    }
    host = host_port.substr(1, close - 1);
    const std::string_view after = host_port.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        Fail("unexpected text after the IPv6 host");
      }
      port = after.substr(1);
      if (port.empty()) {
        Fail("the port after ':' is empty");
      }
    }
  } else if (const size_t c = host_port.find(':'); c != std::string_view::npos) {
    if (host_port.find(':', c + 1) != std::string_view::npos) {
      Fail("the host '" + std::string(host_port) + "' has several ':' (put IPv6 hosts in [])");
    }
    host = host_port.substr(0, c);
    port = host_port.substr(c + 1);
    if (port.empty()) {
      Fail("the port after ':' is empty");
    }
  }
  endpoint.host = PercentDecode(host, "host");
  if (!port.empty()) {
    endpoint.port = ParsePort(port);
  }

  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view param = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (param.empty()) {
      continue;
    }
    const size_t eq = param.find('=');
    const std::string key = Lower(param.substr(0, eq));
    const std::string value =
        eq == std::string_view::npos ? "" : PercentDecode(param.substr(eq + 1), key);
    if (key == "socket") {
      if (value.empty()) {
        Fail("socket= needs a path");
      }
      endpoint.socket = value;
    } else if (key == "tls") {
      endpoint.require_tls = ParseTls(value);
    } else {
      Fail("unknown parameter '" + key + "' (known: socket, tls)");
    }
  }

  if (endpoint.host.empty()) {
    if (endpoint.socket.empty()) {
      Fail("the host is missing");
    }
    endpoint.host = "localhost";
  }
  return endpoint;
}

std::string SourceEndpoint::Describe() const {
  std::string out = "mysql://";
  if (!user.empty()) {
    out += PercentEncode(user) + "@";
  }
  if (host.find(':') != std::string::npos) {
    out += "[" + host + "]";
  } else {
    out += PercentEncode(host);
  }
  if (socket.empty()) {
    out += ":" + std::to_string(port);
  }
  out += "/" + PercentEncode(database);
  char separator = '?';
  if (!socket.empty()) {
    out += separator + std::string("socket=") + PercentEncode(socket, "/");
    separator = '&';
  }
  if (require_tls) {
    out += separator + std::string("tls=required");
  }
  return out;
}

}  // namespace futureim::source
