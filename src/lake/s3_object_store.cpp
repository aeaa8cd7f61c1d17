#include "lake/s3_object_store.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <map>
#include <optional>
#include <random>
#include <thread>

#include <curl/curl.h>
#include <fcntl.h>
#include <unistd.h>

#include "lake/local_object_store.h"
#include "lake/s3_xml.h"

namespace futureim::lake {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::system_clock;

struct HttpResponse {
  long status = 0;
  std::string body;  // the error document when a body sink took a 2xx body
  std::map<std::string, std::string> headers;  // names lowercased
};

std::string AmzDate(Clock::time_point now) {
  const std::time_t seconds = Clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
  return text;
}

std::optional<Clock::time_point> ParseTime(const std::string& text, const char* format) {
  std::tm utc{};
  if (::strptime(text.c_str(), format, &utc) == nullptr) return std::nullopt;
  return Clock::from_time_t(::timegm(&utc));
}

// "scheme://authority" and the authority of an endpoint URL ("http://h:9000/" -> "http://h:9000",
// "h:9000").
std::pair<std::string, std::string> SplitEndpoint(std::string endpoint) {
  while (endpoint.ends_with('/')) endpoint.pop_back();
  const size_t scheme_end = endpoint.find("://");
  if (scheme_end == std::string::npos || endpoint.find('/', scheme_end + 3) != std::string::npos ||
      scheme_end + 3 == endpoint.size()) {
    throw core::Error("invalid lake.s3_endpoint '" + endpoint +
                      "': expected http(s)://host[:port], e.g. https://s3.eu-west-1.amazonaws.com");
  }
  return {endpoint.substr(0, scheme_end + 3), endpoint.substr(scheme_end + 3)};
}

std::string NormalizePrefix(std::string prefix) {
  if (!prefix.empty() && !prefix.ends_with('/')) prefix += '/';
  ValidateObjectPrefix(prefix);
  return prefix;
}

}  // namespace

// One libcurl easy handle (reused, so connections are kept alive) plus the
// signing of each request, retries and backoff.
class S3ObjectStore::Http {
 public:
  struct Request {
    std::string method;
    std::string object_key;  // with the store's prefix; "" for bucket-level requests
    std::vector<std::pair<std::string, std::string>> query;
    std::string_view body;
    std::string content_type;
    // Receives a 2xx response body instead of HttpResponse::body.
    std::function<void(std::string_view)> body_sink;
    // Called before every attempt (a retried download starts over).
    std::function<void()> before_attempt;
  };

  explicit Http(const S3Settings& settings) : settings_(settings), handle_(curl_easy_init()) {
    if (handle_ == nullptr) throw core::Error("cannot initialise libcurl");
    const auto [scheme, authority] = SplitEndpoint(settings.endpoint);
    scheme_ = scheme;
    authority_ = settings.url_style == S3UrlStyle::kVirtualHost ? settings.bucket + "." + authority
                                                                : authority;
  }
  ~Http() { curl_easy_cleanup(handle_); }
  Http(const Http&) = delete;
  Http& operator=(const Http&) = delete;

  HttpResponse Send(const Request& request) {
    std::mt19937 jitter(std::random_device{}());
    auto backoff = settings_.first_backoff;
    for (int attempt = 1;; ++attempt) {
      if (request.before_attempt) request.before_attempt();
      std::string curl_error;
      HttpResponse response = Perform(request, curl_error);
      const bool retryable =
          !curl_error.empty() || response.status >= 500 || response.status == 429;
      if (!retryable) return response;
      if (attempt >= settings_.max_attempts) {
        if (curl_error.empty()) return response;  // the caller reports the HTTP error
        throw core::Error("S3 " + request.method + " " + Describe(request) + ": cannot reach " +
                          settings_.endpoint + " after " + std::to_string(attempt) +
                          " attempts: " + curl_error + " (check lake.s3_endpoint)");
      }
      const auto sleep = backoff + std::chrono::milliseconds(std::uniform_int_distribution<int64_t>(
                                       0, std::max<int64_t>(1, backoff.count() / 2))(jitter));
      std::this_thread::sleep_for(sleep);
      backoff *= 2;
    }
  }

  std::string Describe(const Request& request) const {
    return "s3://" + settings_.bucket + "/" + request.object_key;
  }

 private:
  std::string CanonicalUri(const std::string& object_key) const {
    const std::string path = UriEncode(object_key, /*keep_slash=*/true);
    if (settings_.url_style == S3UrlStyle::kVirtualHost) return "/" + path;
    return "/" + UriEncode(settings_.bucket, false) + (object_key.empty() ? "" : "/" + path);
  }

  struct Transfer {
    CURL* handle;
    HttpResponse* response;
    const std::function<void(std::string_view)>* sink;
  };

  static size_t OnBody(char* data, size_t size, size_t count, void* user) {
    auto* transfer = static_cast<Transfer*>(user);
    const std::string_view bytes(data, size * count);
    long status = 0;
    curl_easy_getinfo(transfer->handle, CURLINFO_RESPONSE_CODE, &status);
    try {
      if (*transfer->sink && status >= 200 && status < 300) {
        (*transfer->sink)(bytes);
      } else {
        transfer->response->body.append(bytes);
      }
    } catch (...) {
      return 0;  // makes curl fail the transfer (CURLE_WRITE_ERROR)
    }
    return bytes.size();
  }

  static size_t OnHeader(char* data, size_t size, size_t count, void* user) {
    auto* response = static_cast<HttpResponse*>(user);
    std::string_view line(data, size * count);
    if (line.starts_with("HTTP/")) response->headers.clear();  // a new response (e.g. after 100)
    const size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
      std::string name(line.substr(0, colon));
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
        value.remove_prefix(1);
      while (!value.empty() &&
             (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
        value.remove_suffix(1);
      }
      response->headers[name] = std::string(value);
    }
    return size * count;
  }

  HttpResponse Perform(const Request& request, std::string& curl_error) {
    HttpResponse response;
    const std::string canonical_uri = CanonicalUri(request.object_key);
    const std::string query = CanonicalQueryString(request.query);
    const std::string url =
        scheme_ + authority_ + canonical_uri + (query.empty() ? "" : "?" + query);

    SigV4Request to_sign{request.method, canonical_uri, request.query, {}, Sha256Hex(request.body)};
    const std::string amz_date = AmzDate(Clock::now());
    to_sign.headers = {{"host", authority_},
                       {"x-amz-date", amz_date},
                       {"x-amz-content-sha256", to_sign.payload_sha256_hex}};
    if (!settings_.credentials.session_token.empty()) {
      to_sign.headers.emplace_back("x-amz-security-token", settings_.credentials.session_token);
    }
    const SigV4Signature signature =
        SignV4(to_sign, settings_.credentials, settings_.region, "s3", amz_date);

    curl_slist* headers = nullptr;
    for (const auto& [name, value] : to_sign.headers)
      headers = curl_slist_append(headers, (name + ": " + value).c_str());
    headers = curl_slist_append(headers, ("Authorization: " + signature.authorization).c_str());
    headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
    if (!request.content_type.empty()) {
      headers = curl_slist_append(headers, ("Content-Type: " + request.content_type).c_str());
    }

    Transfer transfer{handle_, &response, &request.body_sink};
    curl_easy_reset(handle_);
    curl_easy_setopt(handle_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(handle_, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(handle_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle_, CURLOPT_CONNECTTIMEOUT,
                     static_cast<long>(settings_.connect_timeout.count()));
    curl_easy_setopt(handle_, CURLOPT_LOW_SPEED_LIMIT, 1024L);
    curl_easy_setopt(handle_, CURLOPT_LOW_SPEED_TIME,
                     static_cast<long>(settings_.low_speed_timeout.count()));
    curl_easy_setopt(handle_, CURLOPT_WRITEFUNCTION, &Http::OnBody);
    curl_easy_setopt(handle_, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(handle_, CURLOPT_HEADERFUNCTION, &Http::OnHeader);
    curl_easy_setopt(handle_, CURLOPT_HEADERDATA, &response);
    if (request.method == "HEAD") {
      curl_easy_setopt(handle_, CURLOPT_NOBODY, 1L);
    } else if (request.method != "GET") {
      curl_easy_setopt(handle_, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
    if (request.method == "PUT" || request.method == "POST") {
      curl_easy_setopt(handle_, CURLOPT_POSTFIELDS,
                       request.body.empty() ? "" : request.body.data());
      curl_easy_setopt(handle_, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
    }
    const CURLcode code = curl_easy_perform(handle_);
    curl_slist_free_all(headers);
    if (code != CURLE_OK) {
      curl_error = curl_easy_strerror(code);
      return response;
    }
    curl_easy_getinfo(handle_, CURLINFO_RESPONSE_CODE, &response.status);
    return response;
  }

  const S3Settings& settings_;
  CURL* handle_ = nullptr;
  std::string scheme_;
  std::string authority_;
};

namespace {

// The error for a non-2xx answer, in words an operator can act on.
[[noreturn]] void ThrowS3Error(const S3Settings& settings, const HttpResponse& response,
                               std::string_view operation, std::string_view key) {
  const std::string code = XmlText(response.body, "Code").value_or("");
  const std::string message = XmlText(response.body, "Message").value_or("");
  const std::string detail = " [HTTP " + std::to_string(response.status) +
                             (code.empty() ? "" : " " + code) +
                             (message.empty() ? "" : ": " + message) + "]";
  const std::string where =
      "S3 " + std::string(operation) + " s3://" + settings.bucket + "/" + std::string(key);
  if (code == "NoSuchBucket") {
    throw core::Error(where + ": bucket '" + settings.bucket + "' does not exist at " +
                      settings.endpoint + ": check lake.s3_bucket" + detail);
  }
  if (response.status == 403 || code == "AccessDenied" || code == "InvalidAccessKeyId" ||
      code == "SignatureDoesNotMatch") {
    throw core::Error(
        where + ": access denied: check lake.s3 credentials (FUTUREIM_LAKE_S3_ACCESS_KEY_ID, " +
        "FUTUREIM_LAKE_S3_SECRET_ACCESS_KEY or the key store) and lake.s3_region" + detail);
  }
  throw core::Error(where + " failed" + detail);
}

bool IsSuccess(const HttpResponse& response) {
  return response.status >= 200 && response.status < 300;
}

}  // namespace

// ---------------------------------------------------------------------------

S3ObjectStore::S3ObjectStore(S3Settings settings) : settings_(std::move(settings)) {
  if (settings_.bucket.empty()) throw core::Error("lake.s3_bucket is not set");
  if (settings_.credentials.access_key_id.empty() ||
      settings_.credentials.secret_access_key.empty()) {
    throw core::Error(
        "S3 credentials are not set: set FUTUREIM_LAKE_S3_ACCESS_KEY_ID and "
        "FUTUREIM_LAKE_S3_SECRET_ACCESS_KEY "
        "or store them with `futureim secret set`");
  }
  if (settings_.part_size < (5u << 20)) throw core::Error("S3 part size must be at least 5 MiB");
  settings_.prefix = NormalizePrefix(settings_.prefix);
  SplitEndpoint(settings_.endpoint);      // validates before any libcurl state exists
  curl_global_init(CURL_GLOBAL_DEFAULT);  // reference-counted; thread-safe in libcurl >= 7.84
  http_ = std::make_unique<Http>(settings_);
}

S3ObjectStore::~S3ObjectStore() {
  http_.reset();
  curl_global_cleanup();
}

std::string S3ObjectStore::Describe() const {
  return "s3://" + settings_.bucket + "/" + settings_.prefix;
}

void S3ObjectStore::Put(std::string_view key, std::string_view bytes) {
  Upload(key, bytes.size(), [&](uint64_t offset, uint64_t length) {
    return std::string(bytes.substr(offset, length));
  });
}

void S3ObjectStore::PutFile(std::string_view key, const fs::path& source) {
  const int fd = ::open(source.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw core::Error("cannot open " + source.string() + ": " + std::strerror(errno));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  const off_t size = ::lseek(fd, 0, SEEK_END);
  if (size < 0) throw core::Error("cannot seek " + source.string() + ": " + std::strerror(errno));
  Upload(key, static_cast<uint64_t>(size), [&](uint64_t offset, uint64_t length) {
    std::string piece(length, '\0');
    size_t done = 0;
    while (done < length) {
      const ssize_t n =
          ::pread(fd, piece.data() + done, length - done, static_cast<off_t>(offset + done));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0)
        throw core::Error("cannot read " + source.string() + ": file changed or unreadable");
      done += static_cast<size_t>(n);
    }
    return piece;
  });
}

void S3ObjectStore::Upload(std::string_view key, uint64_t size, const PartReader& read) {
  ValidateObjectKey(key);
  const std::string object_key = settings_.prefix + std::string(key);
  if (size > settings_.multipart_threshold) {
    UploadMultipart(object_key, size, read);
    return;
  }
  const std::string body = read(0, size);
  const auto response =
      http_->Send({"PUT", object_key, {}, body, "application/octet-stream", {}, {}});
  if (!IsSuccess(response)) ThrowS3Error(settings_, response, "PUT", object_key);
}

void S3ObjectStore::UploadMultipart(const std::string& object_key, uint64_t size,
                                    const PartReader& read) {
  auto response =
      http_->Send({"POST", object_key, {{"uploads", ""}}, {}, "application/octet-stream", {}, {}});
  if (!IsSuccess(response)) ThrowS3Error(settings_, response, "CreateMultipartUpload", object_key);
  const auto upload_id = XmlText(response.body, "UploadId");
  if (!upload_id || upload_id->empty()) {
    throw core::Error("S3 CreateMultipartUpload s3://" + settings_.bucket + "/" + object_key +
                      ": no UploadId in the answer");
  }
  ++multipart_uploads_;
  // S3 allows at most 10,000 parts: grow the part size for huge objects.
  const uint64_t part_size = std::max(settings_.part_size, (size + 9999) / 10000);
  try {
    std::string complete = "<CompleteMultipartUpload>";
    int part_number = 1;
    for (uint64_t offset = 0; offset < size; offset += part_size, ++part_number) {
      const std::string part = read(offset, std::min(part_size, size - offset));
      const std::string number = std::to_string(part_number);
      response = http_->Send({"PUT",
                              object_key,
                              {{"partNumber", number}, {"uploadId", *upload_id}},
                              part,
                              "",
                              {},
                              {}});
      if (!IsSuccess(response))
        ThrowS3Error(settings_, response, "UploadPart " + number, object_key);
      const auto etag = response.headers.find("etag");
      if (etag == response.headers.end())
        throw core::Error("S3 UploadPart " + number + ": no ETag in the answer");
      complete += "<Part><PartNumber>" + number + "</PartNumber><ETag>" + XmlEscape(etag->second) +
                  "</ETag></Part>";
    }
    complete += "</CompleteMultipartUpload>";
    response = http_->Send(
        {"POST", object_key, {{"uploadId", *upload_id}}, complete, "application/xml", {}, {}});
    // S3 may answer 200 with an <Error> document when completion fails late.
    if (!IsSuccess(response) || !XmlElements(response.body, "Error").empty()) {
      ThrowS3Error(settings_, response, "CompleteMultipartUpload", object_key);
    }
  } catch (...) {
    // Abort, so no half-uploaded parts linger (and cost money); best effort.
    try {
      http_->Send({"DELETE", object_key, {{"uploadId", *upload_id}}, {}, "", {}, {}});
    } catch (...) {
    }
    throw;
  }
}

std::string S3ObjectStore::Get(std::string_view key) {
  ValidateObjectKey(key);
  const std::string object_key = settings_.prefix + std::string(key);
  auto response = http_->Send({"GET", object_key, {}, {}, "", {}, {}});
  if (response.status == 404 &&
      XmlText(response.body, "Code").value_or("NoSuchKey") == "NoSuchKey") {
    throw ObjectNotFoundError("lake object not found: " + Describe() + std::string(key));
  }
  if (!IsSuccess(response)) ThrowS3Error(settings_, response, "GET", object_key);
  return std::move(response.body);
}

void S3ObjectStore::GetFile(std::string_view key, const fs::path& target) {
  ValidateObjectKey(key);
  const std::string object_key = settings_.prefix + std::string(key);
  std::optional<AtomicFileWriter> writer;
  Http::Request request{"GET", object_key, {}, {}, "", {}, {}};
  request.before_attempt = [&] {
    writer.reset();
    writer.emplace(target);
  };
  request.body_sink = [&](std::string_view bytes) { writer->Write(bytes); };
  const auto response = http_->Send(request);
  if (response.status == 404 &&
      XmlText(response.body, "Code").value_or("NoSuchKey") == "NoSuchKey") {
    throw ObjectNotFoundError("lake object not found: " + Describe() + std::string(key));
  }
  if (!IsSuccess(response)) ThrowS3Error(settings_, response, "GET", object_key);
  writer->Commit();
}

std::optional<ObjectInfo> S3ObjectStore::Stat(std::string_view key) {
  ValidateObjectKey(key);
  const std::string object_key = settings_.prefix + std::string(key);
  const auto response = http_->Send({"HEAD", object_key, {}, {}, "", {}, {}});
  if (response.status == 404) return std::nullopt;
  if (!IsSuccess(response)) ThrowS3Error(settings_, response, "HEAD", object_key);
  ObjectInfo info{std::string(key), 0, {}};
  if (auto it = response.headers.find("content-length"); it != response.headers.end()) {
    info.size = std::stoull(it->second);
  }
  if (auto it = response.headers.find("last-modified"); it != response.headers.end()) {
    info.modified = ParseTime(it->second, "%a, %d %b %Y %H:%M:%S").value_or(Clock::time_point{});
  }
  return info;
}

std::vector<ObjectInfo> S3ObjectStore::List(std::string_view prefix) {
  ValidateObjectPrefix(prefix);
  const std::string full_prefix = settings_.prefix + std::string(prefix);
  std::vector<ObjectInfo> objects;
  std::optional<std::string> continuation;
  do {
    std::vector<std::pair<std::string, std::string>> query = {
        {"list-type", "2"},
        {"prefix", full_prefix},
        {"max-keys", std::to_string(settings_.max_keys)}};
    if (continuation) query.emplace_back("continuation-token", *continuation);
    const auto response = http_->Send({"GET", "", query, {}, "", {}, {}});
    if (!IsSuccess(response)) ThrowS3Error(settings_, response, "ListObjectsV2", full_prefix);
    for (const std::string_view contents : XmlElements(response.body, "Contents")) {
      std::string key = XmlText(contents, "Key").value_or("");
      if (!key.starts_with(settings_.prefix)) continue;
      key.erase(0, settings_.prefix.size());
      ObjectInfo info{std::move(key), std::stoull(XmlText(contents, "Size").value_or("0")), {}};
      info.modified = ParseTime(XmlText(contents, "LastModified").value_or(""), "%Y-%m-%dT%H:%M:%S")
                          .value_or(Clock::time_point{});
      objects.push_back(std::move(info));
    }
    continuation.reset();
    if (XmlText(response.body, "IsTruncated").value_or("false") == "true") {
      continuation = XmlText(response.body, "NextContinuationToken");
      if (!continuation || continuation->empty()) {
        throw core::Error("S3 ListObjectsV2: truncated answer without NextContinuationToken");
      }
    }
  } while (continuation);
  std::sort(objects.begin(), objects.end(),
            [](const auto& a, const auto& b) { return a.key < b.key; });
  return objects;
}

void S3ObjectStore::Delete(std::string_view key) {
  ValidateObjectKey(key);
  const std::string object_key = settings_.prefix + std::string(key);
  const auto response = http_->Send({"DELETE", object_key, {}, {}, "", {}, {}});
  if (response.status == 404 && XmlText(response.body, "Code").value_or("NoSuchKey") == "NoSuchKey")
    return;
  if (!IsSuccess(response)) ThrowS3Error(settings_, response, "DELETE", object_key);
}

}  // namespace futureim::lake
