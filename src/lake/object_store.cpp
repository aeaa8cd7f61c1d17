#include "lake/object_store.h"

#include <string>

#include "lake/local_object_store.h"

namespace futureim::lake {
namespace {

[[noreturn]] void Refuse(std::string_view key, std::string_view why) {
  throw core::Error("invalid lake key '" + std::string(key) + "': " + std::string(why));
}

// Checks every segment of a '/'-separated relative path.
void ValidateSegments(std::string_view key, std::string_view path) {
  size_t start = 0;
  while (start <= path.size()) {
    const size_t end = std::min(path.find('/', start), path.size());
    const std::string_view segment = path.substr(start, end - start);
    if (segment.empty()) Refuse(key, "empty path segment");
    if (segment == "." || segment == "..") Refuse(key, "'.' and '..' segments are not allowed");
    if (segment.starts_with(kTemporaryPrefix)) Refuse(key, "reserved temporary-file name");
    start = end + 1;
  }
}

void ValidateCharacters(std::string_view key) {
  if (key.starts_with('/')) Refuse(key, "absolute keys are not allowed");
  if (key.find('\0') != std::string_view::npos) Refuse(key, "NUL byte");
  if (key.find('\\') != std::string_view::npos) Refuse(key, "backslash");
  if (key.size() > 1024) Refuse(key, "longer than 1024 bytes");
}

}  // namespace

void ValidateObjectKey(std::string_view key) {
  if (key.empty()) Refuse(key, "empty key");
  ValidateCharacters(key);
  if (key.ends_with('/')) Refuse(key, "a key may not end with '/'");
  ValidateSegments(key, key);
}

void ValidateObjectPrefix(std::string_view prefix) {
  if (prefix.empty()) return;
  ValidateCharacters(prefix);
  // A prefix may end inside a segment ("raw/ord") or at a '/' ("raw/").
  const std::string_view path =
      prefix.ends_with('/') ? prefix.substr(0, prefix.size() - 1) : prefix;
  if (path.empty()) Refuse(prefix, "empty path segment");
  ValidateSegments(prefix, path);
}

}  // namespace futureim::lake
