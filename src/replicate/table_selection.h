#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace futureim::replicate {

// Which source tables a replication task copies: "schema.table" patterns in
// SQL LIKE syntax (source::LikeMatches: % any run, _ one character, \ escapes), e.g. "ecommerce.%".
// A table is selected when an include pattern matches and no exclude pattern
// does. Matching is case-sensitive, as table names are on Linux servers.
class TableSelection {
 public:
  // Throws core::Error for a pattern without a schema part ("orders").
  TableSelection(std::vector<std::string> include, std::vector<std::string> exclude);

  bool Selects(std::string_view schema, std::string_view table) const;

  // The schemas the include patterns can match: exact names, or all
  // (returns {} and sets `any` when a schema part has a wildcard).
  std::vector<std::string> Schemas(bool& any) const;

  const std::vector<std::string>& include() const { return include_; }
  const std::vector<std::string>& exclude() const { return exclude_; }

 private:
  std::vector<std::string> include_;
  std::vector<std::string> exclude_;
};

}  // namespace futureim::replicate
