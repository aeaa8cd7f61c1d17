#include "source/table_filter.h"

#include <algorithm>
#include <cctype>

namespace futureim::source {
namespace {

bool SameChar(char a, char b, bool ignore_case) {
  if (!ignore_case) return a == b;
  return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
}

std::vector<std::string> WithoutEmpty(std::vector<std::string> patterns) {
  std::erase_if(patterns, [](const std::string& p) { return p.empty(); });
  return patterns;
}

}  // namespace

bool LikeMatches(std::string_view pattern, std::string_view text, bool ignore_case) {
  // Iterative matching with one backtrack point (the last '%'): linear in
  // practice and never exponential, whatever the pattern.
  size_t p = 0;
  size_t t = 0;
  size_t star_p = std::string_view::npos;  // pattern index just after the last '%'
  size_t star_t = 0;                       // text index that '%' is extended from
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '%') {
      star_p = ++p;
      star_t = t;
      continue;
    }
    if (p < pattern.size()) {
      const bool escaped = pattern[p] == '\\' && p + 1 < pattern.size();
      const char want = escaped ? pattern[p + 1] : pattern[p];
      if ((!escaped && want == '_') || SameChar(want, text[t], ignore_case)) {
        p += escaped ? 2 : 1;
        ++t;
        continue;
      }
    }
    if (star_p == std::string_view::npos) return false;
    p = star_p;
    t = ++star_t;
  }
  while (p < pattern.size() && pattern[p] == '%') ++p;
  return p == pattern.size();
}

TableFilter::TableFilter(std::vector<std::string> include, std::vector<std::string> exclude)
    : include_(WithoutEmpty(std::move(include))), exclude_(WithoutEmpty(std::move(exclude))) {}

bool TableFilter::Selects(std::string_view schema, std::string_view table) const {
  std::string name;
  name.reserve(schema.size() + 1 + table.size());
  name.append(schema).append(".").append(table);
  const auto matches = [&name](const std::string& pattern) {
    return LikeMatches(pattern, name, /*ignore_case=*/true);
  };
  return std::ranges::any_of(include_, matches) && std::ranges::none_of(exclude_, matches);
}

}  // namespace futureim::source
