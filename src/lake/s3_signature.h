#pragma once

// AWS Signature Version 4 (header-based), as S3 and S3-compatible stores
// expect it. Pure functions over plain data: tested against the published
// aws-sig-v4-test-suite vectors and against a real S3-compatible server.
//
// We sign ourselves rather than use CURLOPT_AWS_SIGV4 so the canonical form is
// under test, x-amz-content-sha256 is always signed (S3 requires it; libcurl
// 7.88 does not add it) and query strings (continuation tokens, upload ids)
// are encoded exactly as signed.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace futureim::lake {

struct SigV4Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // temporary credentials only; "" otherwise
};

struct SigV4Request {
  std::string method;         // "GET", "PUT"...
  std::string canonical_uri;  // already URI-encoded path, e.g. "/bucket/raw/a%20b.parquet"
  // Decoded query parameters (encoded and sorted while signing).
  std::vector<std::pair<std::string, std::string>> query;
  // Every header to sign, including host and x-amz-date (any case).
  std::vector<std::pair<std::string, std::string>> headers;
  std::string payload_sha256_hex;  // hex SHA-256 of the body, or "UNSIGNED-PAYLOAD"
};

struct SigV4Signature {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signed_headers;  // "host;x-amz-content-sha256;x-amz-date"
  std::string signature;       // hex
  std::string authorization;   // the Authorization header value
};

// `amz_date` is the request time as in x-amz-date ("20150830T123600Z").
SigV4Signature SignV4(const SigV4Request& request, const SigV4Credentials& credentials,
                      std::string_view region, std::string_view service, std::string_view amz_date);

// RFC 3986 percent-encoding of everything but A-Z a-z 0-9 - _ . ~ (and '/'
// when `keep_slash`), uppercase hex, as SigV4 and S3 object paths require.
std::string UriEncode(std::string_view text, bool keep_slash);
// "k1=v1&k2=v2", encoded and sorted by name then value: the canonical query
// string, also used verbatim as the request's query so both always agree.
std::string CanonicalQueryString(const std::vector<std::pair<std::string, std::string>>& query);

std::string Sha256Hex(std::string_view bytes);

}  // namespace futureim::lake
