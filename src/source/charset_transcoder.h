#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "source/mysql_connection.h"

namespace futureim::source {

// Turns character data from the binlog (stored in the column's own charset)
// into UTF-8, the lake's only text encoding. MySQL's charsets are known by
// collation id; the id → charset table comes from the server itself
// (information_schema), so new collations (MariaDB's uca1400 ids) need no code.
//
// Move-only; not thread-safe (it keeps one iconv converter per charset in
// use, and iconv converters carry state): use one per thread.
class CharsetTranscoder {
 public:
  // Loads the collation table from the server.
  static CharsetTranscoder FromServer(MysqlConnection& connection);
  // For tests: a table given directly (collation id → MySQL charset name).
  explicit CharsetTranscoder(std::unordered_map<uint32_t, std::string> charset_by_collation);

  CharsetTranscoder(CharsetTranscoder&&) noexcept;
  CharsetTranscoder& operator=(CharsetTranscoder&&) noexcept;
  ~CharsetTranscoder();

  // True when values of this collation are text (not `binary`).
  bool IsText(uint32_t collation_id) const;

  // `bytes` in collation `collation_id`'s charset → UTF-8. utf8mb4/utf8mb3/
  // ascii are validated and passed through; latin1 is MySQL's latin1 (which
  // is Windows-1252 with the five undefined bytes mapped to C1 controls);
  // other charsets go through glibc's iconv (ucs2/utf16/utf32 big-endian, as
  // the server stores them). Throws core::Error naming the collation for an
  // unknown collation, a charset with no converter (or `binary`), or bytes
  // invalid in their charset.
  std::string ToUtf8(std::string_view bytes, uint32_t collation_id) const;

 private:
  class IconvConverter;
  const std::string& CharsetOf(uint32_t collation_id) const;

  std::unordered_map<uint32_t, std::string> charset_by_collation_;
  // Converters by MySQL charset name, opened on first use.
  mutable std::map<std::string, std::unique_ptr<IconvConverter>> converters_;
};

}  // namespace futureim::source
