#include "replicate/table_selection.h"

#include <algorithm>

#include "core/error.h"
#include "source/table_filter.h"

namespace futureim::replicate {
namespace {

// Splits "schema.table" at the first unescaped dot.
std::pair<std::string_view, std::string_view> SplitPattern(std::string_view pattern) {
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\') {
      ++i;
    } else if (pattern[i] == '.') {
      return {pattern.substr(0, i), pattern.substr(i + 1)};
    }
  }
  throw core::Error("table pattern '" + std::string(pattern) +
                    "' has no schema part: write it as schema.table, e.g. ecommerce.%");
}

bool HasWildcard(std::string_view pattern) {
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\') {
      ++i;
    } else if (pattern[i] == '%' || pattern[i] == '_') {
      return true;
    }
  }
  return false;
}

std::string Unescape(std::string_view pattern) {
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\' && i + 1 < pattern.size()) ++i;
    out += pattern[i];
  }
  return out;
}

bool Matches(const std::vector<std::string>& patterns, std::string_view schema,
             std::string_view table) {
  return std::any_of(patterns.begin(), patterns.end(), [&](const std::string& pattern) {
    const auto [schema_pattern, table_pattern] = SplitPattern(pattern);
    return source::LikeMatches(schema_pattern, schema, /*ignore_case=*/false) &&
           source::LikeMatches(table_pattern, table, /*ignore_case=*/false);
  });
}

}  // namespace

TableSelection::TableSelection(std::vector<std::string> include, std::vector<std::string> exclude)
    : include_(std::move(include)), exclude_(std::move(exclude)) {
  for (const auto& pattern : include_) SplitPattern(pattern);
  for (const auto& pattern : exclude_) SplitPattern(pattern);
}

bool TableSelection::Selects(std::string_view schema, std::string_view table) const {
  return Matches(include_, schema, table) && !Matches(exclude_, schema, table);
}

std::vector<std::string> TableSelection::Schemas(bool& any) const {
  any = false;
  std::vector<std::string> schemas;
  for (const auto& pattern : include_) {
    const auto schema = SplitPattern(pattern).first;
    if (HasWildcard(schema)) {
      any = true;
      return {};
    }
    std::string name = Unescape(schema);
    if (std::find(schemas.begin(), schemas.end(), name) == schemas.end()) {
      schemas.push_back(std::move(name));
    }
  }
  return schemas;
}

}  // namespace futureim::replicate
