#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "api/http_message.h"

namespace futureim::api {

// The dashboard's built files (web/dist), served by the gateway for GET
// requests that no API route claims.
//
// Every regular file under the root is read into memory once, when the server
// starts: a request is a map lookup, never a filesystem access, so no request
// path (encoded or not, with or without dot segments or symlinks) can reach a
// file outside the root, and the I/O threads never block on disk. Rebuilding
// the app therefore needs a server restart.
//
// Caching: files under assets/ have content hashes in their names (Vite), so
// they are cached for a year as immutable; everything else (index.html first)
// is revalidated on every use (no-cache + ETag, 304 on a match).
// Client-side routes: a GET for an extension-less path that accepts text/html
// and is not a file gets index.html, so /admin or /reset-password?token=...
// load the app; API clients (which do not ask for HTML) keep the JSON 404.
class StaticFiles {
 public:
  // Throws core::Error when `root` is not a directory or has no index.html.
  explicit StaticFiles(const std::filesystem::path& root);

  // The answer for `path` (decoded, absolute, without the query), or nullopt
  // when it is not the app's to answer.
  std::optional<HttpResponse> Serve(const HttpRequest& request, std::string_view path,
                                    bool tls) const;

  size_t file_count() const { return files_.size(); }
  const std::filesystem::path& root() const { return root_; }

  // The Content-Security-Policy of the app's pages: scripts, styles, fonts
  // and API calls from this origin only; no framing, plugins or foreign forms.
  static constexpr const char* kContentSecurityPolicy =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
      "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
      "form-action 'self'; frame-ancestors 'none'";

 private:
  struct File {
    std::string content;
    std::string content_type;
    std::string etag;
    bool immutable = false;
  };
  HttpResponse Answer(const HttpRequest& request, const File& file, bool tls) const;

  std::filesystem::path root_;
  std::map<std::string, File, std::less<>> files_;  // "/index.html", "/assets/x-1a2b.js"
};

}  // namespace futureim::api
