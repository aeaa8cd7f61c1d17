#pragma once

// Frequent itemsets by FP-Growth (Han, Pei & Yin 2000) and the association
// rules they imply, with support, confidence and lift. Items are integer ids
// (product ids); a transaction is a basket, duplicates within it count once.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace futureim::ml {

using Item = int64_t;
using Basket = std::vector<Item>;

struct FrequentItemset {
  std::vector<Item> items;  // ascending
  size_t count = 0;         // baskets containing every item
  double support = 0;       // count / baskets
};

struct AssociationRule {
  std::vector<Item> antecedent;  // ascending, non-empty
  std::vector<Item> consequent;  // ascending, non-empty, disjoint from antecedent
  size_t count = 0;              // baskets containing both
  double support = 0;            // count / baskets
  double confidence = 0;         // count / count(antecedent)
  double lift = 0;               // confidence / support(consequent)
};

struct FrequentItemsetOptions {
  double min_support = 0.01;  // in (0, 1]: an itemset needs count >= ceil(min_support · baskets)
  size_t max_length = 0;      // 0: no limit
};

// Every itemset whose support reaches min_support, sorted by length then items.
// Throws std::invalid_argument when min_support is outside (0, 1].
std::vector<FrequentItemset> FindFrequentItemsets(const std::vector<Basket>& baskets,
                                                  const FrequentItemsetOptions& options);

// The rules X → Y (X ∪ Y frequent, both non-empty) with confidence >=
// min_confidence, sorted by lift, then confidence, then support, descending.
// `itemsets` must be the complete output of FindFrequentItemsets (every subset
// of a frequent itemset is in it). Throws std::invalid_argument when
// min_confidence is outside [0, 1] or baskets is zero.
std::vector<AssociationRule> DeriveAssociationRules(const std::vector<FrequentItemset>& itemsets,
                                                    size_t baskets, double min_confidence);

}  // namespace futureim::ml
