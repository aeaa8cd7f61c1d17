#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "source/mysql_connection.h"

namespace futureim::source {

// Turns character data from the binlog (stored in the column's own charset)
// into UTF-8, the lake's only text encoding. MySQL's charsets are known by
// collation id; the id → charset table comes from the server itself
// (information_schema), so new collations (MariaDB's uca1400 ids) need no code.
class CharsetTranscoder {
 public:
  // Loads the collation table from the server.
  static CharsetTranscoder FromServer(MysqlConnection& connection);
  // For tests: a table given directly (collation id → MySQL charset name).
  explicit CharsetTranscoder(std::unordered_map<uint32_t, std::string> charset_by_collation);

  // True when values of this collation are text (not `binary`).
  bool IsText(uint32_t collation_id) const;

  // `bytes` in collation `collation_id`'s charset → UTF-8. utf8mb4/utf8mb3/
  // ascii are validated and passed through; latin1 is MySQL's latin1 (which
  // is Windows-1252 with the five undefined bytes mapped to C1 controls);
  // other charsets go through iconv. Throws core::Error naming the collation
  // for an unknown collation or bytes invalid in their charset.
  std::string ToUtf8(std::string_view bytes, uint32_t collation_id) const;

 private:
  std::unordered_map<uint32_t, std::string> charset_by_collation_;
};

}  // namespace futureim::source
