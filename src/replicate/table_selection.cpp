#include "replicate/table_selection.h"

#include <algorithm>

#include "core/error.h"

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
    return LikeMatch(schema, schema_pattern) && LikeMatch(table, table_pattern);
  });
}

}  // namespace

bool LikeMatch(std::string_view text, std::string_view pattern) {
  // Iterative matcher with one backtrack point for the last '%': linear in
  // practice, never exponential.
  size_t t = 0, p = 0, star_p = std::string_view::npos, star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '%') {
      star_p = p++;
      star_t = t;
      continue;
    }
    if (p < pattern.size()) {
      const bool escaped = pattern[p] == '\\' && p + 1 < pattern.size();
      const char want = escaped ? pattern[p + 1] : pattern[p];
      if ((!escaped && want == '_') || want == text[t]) {
        p += escaped ? 2 : 1;
        ++t;
        continue;
      }
    }
    if (star_p == std::string_view::npos) return false;
    p = star_p + 1;
    t = ++star_t;
  }
  while (p < pattern.size() && pattern[p] == '%') ++p;
  return p == pattern.size();
}

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
