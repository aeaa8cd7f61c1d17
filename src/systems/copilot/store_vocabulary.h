#pragma once

// The names a question may mention, read from the curated lake: countries
// (codes in the data, with their English names), cities, categories (with
// their descendants), brands, products; plus the fixed order statuses and
// payment methods. Matching is on normalised words (lower case, punctuation
// dropped) with typo tolerance: an edit distance of 1 for names of 5–7
// letters, 2 from 8 letters, none below 5, so "germny" and "electornics"
// match but "us" never fuzzily matches "uk".

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "query/query_runner.h"

namespace futureim::systems::copilot {

enum class EntityKind {
  kCountry,
  kCity,
  kCategory,
  kBrand,
  kProduct,
  kOrderStatus,
  kPaymentMethod
};

std::string_view EntityKindName(EntityKind kind);

struct EntityMatch {
  EntityKind kind;
  std::string value;    // as stored in the lake: "DE", "Electronics", "credit_card"
  std::string display;  // "Germany"
  size_t first_word = 0;
  size_t word_count = 0;
  bool exact = true;
};

// The words of a text (letters and digits; '&' and apostrophes dropped),
// lower-cased or as typed: both splits give the same number of words.
std::vector<std::string> SplitWords(std::string_view text, bool lower_case);
std::vector<std::string> NormalisedWords(std::string_view text);  // lower-cased
// Damerau–Levenshtein (optimal string alignment) distance, stopping at `limit`+1.
size_t EditDistance(std::string_view a, std::string_view b, size_t limit);
// Whether `word` is `target` up to the typo tolerance above.
bool SimilarWord(std::string_view word, std::string_view target);

class StoreVocabulary {
 public:
  // Reads the names from curated.* through `runner` (guarded, read-only).
  static StoreVocabulary Load(const query::QueryRunner& runner);

  void Add(EntityKind kind, const std::string& value, const std::string& display,
           const std::string& spoken);
  void AddCategory(const std::string& name, const std::string& parent);

  // Non-overlapping matches in `words`, longest names first. `original`
  // holds the same words as typed (for case: two-letter country codes only
  // match when written in capitals, so "us" the pronoun is not "US").
  std::vector<EntityMatch> Match(const std::vector<std::string>& words,
                                 const std::vector<std::string>& original) const;

  // The category and every category below it.
  std::vector<std::string> CategoryWithDescendants(const std::string& name) const;

 private:
  struct Name {
    EntityKind kind;
    std::string value;
    std::string display;
    size_t words = 0;
    std::string joined;  // normalised words joined by single spaces
  };
  std::vector<Name> names_;
  std::map<std::string, std::vector<size_t>> exact_;  // joined → names_
  std::map<std::string, std::string> parent_of_;      // category → parent
};

}  // namespace futureim::systems::copilot
