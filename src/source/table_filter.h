#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace futureim::source {

// SQL LIKE: '%' matches any run of characters, '_' exactly one, and '\'
// makes the next character literal (MySQL's default escape). With
// `ignore_case`, ASCII letters compare case-insensitively, as LIKE does under
// the servers' default collations.
bool LikeMatches(std::string_view pattern, std::string_view text, bool ignore_case);

// Which source tables are replicated: the config's replication.include and
// replication.exclude, each a list of LIKE patterns over "schema.table"
// (e.g. "ecommerce.%", "ecommerce.tmp\_%"). A table is selected when it
// matches an include pattern and no exclude pattern. Empty patterns are
// ignored. Matching ignores case, like the server's LIKE.
class TableFilter {
 public:
  TableFilter(std::vector<std::string> include, std::vector<std::string> exclude);

  bool Selects(std::string_view schema, std::string_view table) const;

  const std::vector<std::string>& include() const { return include_; }
  const std::vector<std::string>& exclude() const { return exclude_; }

 private:
  std::vector<std::string> include_;
  std::vector<std::string> exclude_;
};

}  // namespace futureim::source
