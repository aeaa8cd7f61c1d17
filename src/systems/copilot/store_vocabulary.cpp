#include "systems/copilot/store_vocabulary.h"

#include <algorithm>
#include <cctype>
#include <numeric>

namespace futureim::systems::copilot {

namespace {

// English names of the countries the store may ship to (ISO 3166 codes);
// only codes present in the data become names.
const std::map<std::string, std::vector<std::string>>& CountryNames() {
  static const std::map<std::string, std::vector<std::string>> names = {
      {"US", {"United States", "USA", "America", "United States of America"}},
      {"GB", {"United Kingdom", "UK", "Britain", "Great Britain", "England"}},
      {"DE", {"Germany", "Deutschland"}},
      {"FR", {"France"}},
      {"CA", {"Canada"}},
      {"AU", {"Australia"}},
      {"BR", {"Brazil"}},
      {"JP", {"Japan"}},
      {"IN", {"India"}},
      {"MX", {"Mexico"}},
      {"ES", {"Spain"}},
      {"IT", {"Italy"}},
      {"NL", {"Netherlands", "Holland"}},
      {"SE", {"Sweden"}},
      {"SG", {"Singapore"}},
      {"CN", {"China"}},
      {"KR", {"South Korea", "Korea"}},
      {"ZA", {"South Africa"}},
      {"PL", {"Poland"}},
      {"IE", {"Ireland"}},
      {"CH", {"Switzerland"}},
      {"AT", {"Austria"}},
      {"BE", {"Belgium"}},
      {"NZ", {"New Zealand"}},
  };
  return names;
}

std::string Joined(const std::vector<std::string>& words, size_t first, size_t count) {
  std::string out;
  for (size_t i = first; i < first + count; ++i) {
    if (i > first) out += ' ';
    out += words[i];
  }
  return out;
}

size_t Tolerance(size_t length) { return length >= 8 ? 2 : length >= 5 ? 1 : 0; }

}  // namespace

std::string_view EntityKindName(EntityKind kind) {
  switch (kind) {
    case EntityKind::kCountry:
      return "country";
    case EntityKind::kCity:
      return "city";
    case EntityKind::kCategory:
      return "category";
    case EntityKind::kBrand:
      return "brand";
    case EntityKind::kProduct:
      return "product";
    case EntityKind::kOrderStatus:
      return "order status";
    case EntityKind::kPaymentMethod:
      return "payment method";
  }
  return "entity";
}

std::vector<std::string> SplitWords(std::string_view text, bool lower_case) {
  std::vector<std::string> words;
  std::string current;
  for (const char raw : text) {
    const auto c = static_cast<unsigned char>(raw);
    if (std::isalnum(c) || c >= 0x80) {
      current.push_back(lower_case ? static_cast<char>(std::tolower(c)) : raw);
    } else if (c == '\'' || c == '&') {
      continue;  // "men's" → "mens", "home & kitchen" → "home kitchen"
    } else if (!current.empty()) {
      words.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
  return words;
}

std::vector<std::string> NormalisedWords(std::string_view text) { return SplitWords(text, true); }

size_t EditDistance(std::string_view a, std::string_view b, size_t limit) {
  const size_t n = a.size(), m = b.size();
  if ((n > m ? n - m : m - n) > limit) return limit + 1;
  std::vector<std::vector<size_t>> d(n + 1, std::vector<size_t>(m + 1));
  for (size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (size_t i = 1; i <= n; ++i) {
    size_t row_best = limit + 1;
    for (size_t j = 1; j <= m; ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
      row_best = std::min(row_best, d[i][j]);
    }
    if (row_best > limit) return limit + 1;
  }
  return d[n][m];
}

bool SimilarWord(std::string_view word, std::string_view target) {
  if (word == target) return true;
  const size_t tolerance = Tolerance(target.size());
  return tolerance > 0 && word.size() >= 4 && word[0] == target[0] &&
         EditDistance(word, target, tolerance) <= tolerance;
}

void StoreVocabulary::Add(EntityKind kind, const std::string& value, const std::string& display,
                          const std::string& spoken) {
  const auto words = NormalisedWords(spoken);
  if (words.empty()) return;
  Name name{kind, value, display, words.size(), Joined(words, 0, words.size())};
  exact_[name.joined].push_back(names_.size());
  names_.push_back(std::move(name));
}

void StoreVocabulary::AddCategory(const std::string& name, const std::string& parent) {
  Add(EntityKind::kCategory, name, name, name);
  if (!parent.empty()) parent_of_[name] = parent;
}

std::vector<std::string> StoreVocabulary::CategoryWithDescendants(const std::string& name) const {
  std::vector<std::string> out = {name};
  // Breadth-first over the parent links (a few dozen categories).
  for (size_t i = 0; i < out.size(); ++i) {
    for (const auto& [child, parent] : parent_of_) {
      if (parent == out[i] && std::find(out.begin(), out.end(), child) == out.end()) {
        out.push_back(child);
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<EntityMatch> StoreVocabulary::Match(const std::vector<std::string>& words,
                                                const std::vector<std::string>& original) const {
  std::vector<EntityMatch> matches;
  std::vector<bool> used(words.size(), false);
  const auto free = [&](size_t first, size_t count) {
    for (size_t i = first; i < first + count; ++i)
      if (used[i]) return false;
    return true;
  };
  const auto take = [&](const Name& name, size_t first, size_t count, bool exact) {
    for (size_t i = first; i < first + count; ++i) used[i] = true;
    matches.push_back({name.kind, name.value, name.display, first, count, exact});
  };
  for (size_t count = std::min<size_t>(7, words.size()); count >= 1; --count) {
    for (size_t first = 0; first + count <= words.size(); ++first) {
      if (!free(first, count)) continue;
      const std::string window = Joined(words, first, count);
      const auto found = exact_.find(window);
      if (found != exact_.end()) {
        // A name shared by kinds ("Singapore", city and country): the
        // broader kind (the lower EntityKind) wins.
        const Name* shared = &names_[found->second.front()];
        for (const size_t index : found->second)
          if (names_[index].kind < shared->kind) shared = &names_[index];
        const Name& name = *shared;
        // Two-letter codes ("US", "UK", "DE") only in capitals.
        if (window.size() <= 2 && name.kind == EntityKind::kCountry &&
            !(original[first].size() == 2 &&
              std::isupper(static_cast<unsigned char>(original[first][0])) &&
              std::isupper(static_cast<unsigned char>(original[first][1])))) {
          continue;
        }
        // City names that are also words ("Nice", "Victoria") count as
        // cities when capitalised or after a preposition.
        if (name.kind == EntityKind::kCity &&
            !std::isupper(static_cast<unsigned char>(original[first][0])) &&
            !(first > 0 && (words[first - 1] == "in" || words[first - 1] == "from" ||
                            words[first - 1] == "to" || words[first - 1] == "at"))) {
          continue;
        }
        take(name, first, count, true);
        continue;
      }
      if (window.size() < 5) continue;
      // Typo tolerance: the closest name with the same number of words.
      const Name* best = nullptr;
      size_t best_distance = 3;
      for (const Name& name : names_) {
        if (name.words != count || name.joined.size() < 5) continue;
        const size_t tolerance = Tolerance(name.joined.size());
        if (window[0] != name.joined[0]) continue;
        const size_t distance = EditDistance(window, name.joined, tolerance);
        if (distance <= tolerance && distance < best_distance)
          best = &name, best_distance = distance;
      }
      if (best) take(*best, first, count, false);
    }
    if (count == 1) break;
  }
  std::sort(matches.begin(), matches.end(),
            [](const EntityMatch& a, const EntityMatch& b) { return a.first_word < b.first_word; });
  return matches;
}

StoreVocabulary StoreVocabulary::Load(const query::QueryRunner& runner) {
  StoreVocabulary vocabulary;
  const query::QueryLimits limits{.timeout = std::chrono::seconds(30), .max_rows = 100'000};
  const auto rows = [&](const std::string& sql) { return runner.Run(sql, limits).rows; };
  for (const auto& row : rows("SELECT c.category_name, p.category_name FROM curated.categories c "
                              "LEFT JOIN curated.categories p ON p.category_id = "
                              "c.parent_category_id")) {
    if (row[0]) vocabulary.AddCategory(*row[0], row[1].value_or(""));
  }
  for (const auto& row :
       rows("SELECT DISTINCT brand FROM curated.products WHERE brand IS NOT NULL")) {
    vocabulary.Add(EntityKind::kBrand, *row[0], *row[0], *row[0]);
  }
  for (const auto& row :
       rows("SELECT DISTINCT product_name FROM curated.products WHERE product_name IS NOT NULL")) {
    vocabulary.Add(EntityKind::kProduct, *row[0], *row[0], *row[0]);
  }
  std::set<std::string> countries;
  for (const auto& row : rows("SELECT DISTINCT shipping_country, shipping_city FROM curated.orders "
                              "UNION SELECT DISTINCT country, city FROM curated.customers")) {
    if (row[0]) countries.insert(*row[0]);
    if (row[1]) vocabulary.Add(EntityKind::kCity, *row[1], *row[1], *row[1]);
  }
  for (const auto& code : countries) {
    const auto known = CountryNames().find(code);
    const std::string display = known == CountryNames().end() ? code : known->second.front();
    vocabulary.Add(EntityKind::kCountry, code, display, code);
    if (known == CountryNames().end()) continue;
    for (const auto& spoken : known->second)
      vocabulary.Add(EntityKind::kCountry, code, display, spoken);
  }
  for (const char* status :
       {"pending", "processing", "shipped", "delivered", "cancelled", "returned"}) {
    vocabulary.Add(EntityKind::kOrderStatus, status, status, status);
  }
  vocabulary.Add(EntityKind::kOrderStatus, "cancelled", "cancelled", "canceled");
  for (const char* method :
       {"credit_card", "debit_card", "paypal", "apple_pay", "google_pay", "bank_transfer"}) {
    std::string spoken(method);
    std::replace(spoken.begin(), spoken.end(), '_', ' ');
    vocabulary.Add(EntityKind::kPaymentMethod, method, spoken, spoken);
  }
  vocabulary.Add(EntityKind::kPaymentMethod, "paypal", "paypal", "pay pal");
  return vocabulary;
}

}  // namespace futureim::systems::copilot
