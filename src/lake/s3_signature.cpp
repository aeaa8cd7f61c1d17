#include "lake/s3_signature.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <stdexcept>

#include <openssl/sha.h>

#include "core/hmac_sha256.h"

namespace futureim::lake {
namespace {

std::string Hex(const unsigned char* bytes, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    hex += kDigits[bytes[i] >> 4];
    hex += kDigits[bytes[i] & 0xF];
  }
  return hex;
}

// Header values: leading/trailing spaces trimmed, inner runs collapsed.
std::string CanonicalHeaderValue(std::string_view value) {
  std::string result;
  bool in_space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      in_space = !result.empty();
      continue;
    }
    if (in_space) result += ' ';
    in_space = false;
    result += c;
  }
  return result;
}

}  // namespace

std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
  return Hex(digest, sizeof digest);
}

std::string UriEncode(std::string_view text, bool keep_slash) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string encoded;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' ||
        (keep_slash && c == '/')) {
      encoded += static_cast<char>(c);
    } else {
      encoded += '%';
      encoded += kDigits[c >> 4];
      encoded += kDigits[c & 0xF];
    }
  }
  return encoded;
}

std::string CanonicalQueryString(const std::vector<std::pair<std::string, std::string>>& query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  for (const auto& [name, value] : query)
    encoded.emplace_back(UriEncode(name, false), UriEncode(value, false));
  std::sort(encoded.begin(), encoded.end());
  std::string result;
  for (const auto& [name, value] : encoded) {
    if (!result.empty()) result += '&';
    result += name + "=" + value;
  }
  return result;
}

SigV4Signature SignV4(const SigV4Request& request, const SigV4Credentials& credentials,
                      std::string_view region, std::string_view service,
                      std::string_view amz_date) {
  if (amz_date.size() != 16)
    throw std::invalid_argument("x-amz-date must look like 20150830T123600Z");
  // Lowercase names, sorted; repeated headers joined with ','.
  std::map<std::string, std::string> headers;
  for (const auto& [name, value] : request.headers) {
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    auto [it, inserted] = headers.emplace(lower, CanonicalHeaderValue(value));
    if (!inserted) it->second += "," + CanonicalHeaderValue(value);
  }
  SigV4Signature result;
  std::string canonical_headers;
  for (const auto& [name, value] : headers) {
    canonical_headers += name + ":" + value + "\n";
    result.signed_headers += (result.signed_headers.empty() ? "" : ";") + name;
  }
  result.canonical_request = request.method + "\n" + request.canonical_uri + "\n" +
                             CanonicalQueryString(request.query) + "\n" + canonical_headers + "\n" +
                             result.signed_headers + "\n" + request.payload_sha256_hex;

  const std::string date(amz_date.substr(0, 8));
  const std::string scope =
      date + "/" + std::string(region) + "/" + std::string(service) + "/aws4_request";
  result.string_to_sign = "AWS4-HMAC-SHA256\n" + std::string(amz_date) + "\n" + scope + "\n" +
                          Sha256Hex(result.canonical_request);

  std::string key = core::HmacSha256("AWS4" + credentials.secret_access_key, date);
  key = core::HmacSha256(key, region);
  key = core::HmacSha256(key, service);
  key = core::HmacSha256(key, "aws4_request");
  const std::string signature = core::HmacSha256(key, result.string_to_sign);
  result.signature =
      Hex(reinterpret_cast<const unsigned char*>(signature.data()), signature.size());
  result.authorization = "AWS4-HMAC-SHA256 Credential=" + credentials.access_key_id + "/" + scope +
                         ", SignedHeaders=" + result.signed_headers +
                         ", Signature=" + result.signature;
  return result;
}

}  // namespace futureim::lake
