#include "api/static_files.h"

#include <fstream>
#include <iterator>
#include <sstream>

#include <openssl/sha.h>

#include "core/error.h"

namespace futureim::api {
namespace {

std::string ContentTypeOf(const std::filesystem::path& path) {
  static const std::map<std::string, std::string, std::less<>> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".map", "application/json; charset=utf-8"},
      {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".webp", "image/webp"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
  };
  const auto it = kTypes.find(path.extension().string());
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

std::string QuotedDigest(std::string_view content) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(content.data()), content.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string etag = "\"";
  for (int i = 0; i < 12; ++i) {  // 96 bits: plenty to tell versions of one file apart
    etag.push_back(kHex[digest[i] >> 4]);
    etag.push_back(kHex[digest[i] & 15]);
  }
  return etag + "\"";
}

std::string ReadWholeFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw core::Error("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The last segment of the path has no dot: a client-side route, not a file.
bool LooksLikeClientRoute(std::string_view path) {
  const size_t slash = path.rfind('/');
  return path.substr(slash == std::string_view::npos ? 0 : slash).find('.') ==
         std::string_view::npos;
}

}  // namespace

StaticFiles::StaticFiles(const std::filesystem::path& root) : root_(root) {
  if (!std::filesystem::is_directory(root_)) {
    throw core::Error("web root " + root_.string() + " is not a directory");
  }
  // Symlinks are not followed: only files really inside the root are served.
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root_)) {
    if (!entry.is_regular_file() || entry.is_symlink()) continue;
    const auto relative = entry.path().lexically_relative(root_).generic_string();
    if (relative.empty() || relative.front() == '.') continue;  // hidden files stay private
    File file;
    file.content = ReadWholeFile(entry.path());
    file.content_type = ContentTypeOf(entry.path());
    file.etag = QuotedDigest(file.content);
    file.immutable = relative.rfind("assets/", 0) == 0;
    files_.emplace("/" + relative, std::move(file));
  }
  if (!files_.contains("/index.html")) {
    throw core::Error("web root " + root_.string() +
                      " has no index.html (build the app: " + "npm run build in web/)");
  }
}

std::optional<HttpResponse> StaticFiles::Serve(const HttpRequest& request, std::string_view path,
                                               bool tls) const {
  if (request.method != "GET") return std::nullopt;
  const std::string_view lookup = path == "/" ? std::string_view("/index.html") : path;
  if (const auto it = files_.find(lookup); it != files_.end()) {
    return Answer(request, it->second, tls);
  }
  if (LooksLikeClientRoute(path) &&
      request.Header("accept").find("text/html") != std::string_view::npos) {
    return Answer(request, files_.find("/index.html")->second, tls);
  }
  return std::nullopt;
}

HttpResponse StaticFiles::Answer(const HttpRequest& request, const File& file, bool tls) const {
  HttpResponse response;
  response.SetHeader("Cache-Control",
                     file.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  response.SetHeader("ETag", file.etag);
  response.SetHeader("Content-Security-Policy", kContentSecurityPolicy);
  response.SetHeader("X-Content-Type-Options", "nosniff");
  response.SetHeader("X-Frame-Options", "DENY");
  response.SetHeader("Referrer-Policy", "no-referrer");
  if (tls) response.SetHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  const std::string_view if_none_match = request.Header("if-none-match");
  if (!if_none_match.empty() && if_none_match.find(file.etag) != std::string_view::npos) {
    response.status = 304;
    return response;
  }
  response.SetHeader("Content-Type", file.content_type);
  response.body = file.content;
  return response;
}

}  // namespace futureim::api
