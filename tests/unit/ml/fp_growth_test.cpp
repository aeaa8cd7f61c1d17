#include "ml/fp_growth.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <stdexcept>

#include <gtest/gtest.h>

namespace futureim::ml {
namespace {

// Every itemset over the items of `baskets` with count >= min_count, by
// enumerating all subsets of the item universe (small data only).
std::map<std::vector<Item>, size_t> BruteForceItemsets(const std::vector<Basket>& baskets,
                                                       size_t min_count) {
  std::vector<Item> universe;
  for (const auto& basket : baskets) universe.insert(universe.end(), basket.begin(), basket.end());
  std::sort(universe.begin(), universe.end());
  universe.erase(std::unique(universe.begin(), universe.end()), universe.end());
  std::map<std::vector<Item>, size_t> result;
  for (uint32_t mask = 1; mask < (1u << universe.size()); ++mask) {
    std::vector<Item> items;
    for (size_t i = 0; i < universe.size(); ++i) {
      if ((mask >> i) & 1u) items.push_back(universe[i]);
    }
    size_t count = 0;
    for (const auto& basket : baskets) {
      count += std::all_of(items.begin(), items.end(),
                           [&](Item item) {
                             return std::find(basket.begin(), basket.end(), item) != basket.end();
                           })
                   ? 1
                   : 0;
    }
    if (count >= min_count) result[items] = count;
  }
  return result;
}

std::vector<Basket> RandomBaskets(size_t count, size_t universe, uint64_t seed) {
  std::mt19937_64 random(seed);
  std::vector<Basket> baskets;
  for (size_t b = 0; b < count; ++b) {
    Basket basket;
    // Skewed item popularity, a bundle {3, 7} bought together, and duplicates.
    for (size_t i = 0; i < universe; ++i) {
      if (std::uniform_real_distribution<double>(0, 1)(random) < 0.6 / static_cast<double>(i + 1)) {
        basket.push_back(static_cast<Item>(i * 10 + 1));
      }
    }
    if (std::uniform_int_distribution<int>(0, 3)(random) == 0)
      basket.insert(basket.end(), {3, 7, 3});
    baskets.push_back(basket);
  }
  return baskets;
}

TEST(FpGrowth, TextbookExampleMatchesHandCounts) {
  // Han, Kamber & Pei, Table 6.1 (items I1..I5).
  const std::vector<Basket> baskets = {{1, 2, 5}, {2, 4}, {2, 3},       {1, 2, 4}, {1, 3},
                                       {2, 3},    {1, 3}, {1, 2, 3, 5}, {1, 2, 3}};
  const auto itemsets = FindFrequentItemsets(baskets, {.min_support = 2.0 / 9.0});
  std::map<std::vector<Item>, size_t> found;
  for (const auto& itemset : itemsets) found[itemset.items] = itemset.count;
  const std::map<std::vector<Item>, size_t> expected = {
      {{1}, 6},    {{2}, 7},       {{3}, 6},       {{4}, 2},    {{5}, 2},
      {{1, 2}, 4}, {{1, 3}, 4},    {{1, 5}, 2},    {{2, 3}, 4}, {{2, 4}, 2},
      {{2, 5}, 2}, {{1, 2, 3}, 2}, {{1, 2, 5}, 2},
  };
  EXPECT_EQ(found, expected);

  const auto rules = DeriveAssociationRules(itemsets, baskets.size(), 0.7);
  // {1,5} → {2}: count 2, confidence 2/2, lift 1 / (7/9).
  const auto rule = std::find_if(rules.begin(), rules.end(), [](const AssociationRule& r) {
    return r.antecedent == std::vector<Item>{1, 5} && r.consequent == std::vector<Item>{2};
  });
  ASSERT_NE(rule, rules.end());
  EXPECT_EQ(rule->count, 2u);
  EXPECT_DOUBLE_EQ(rule->confidence, 1.0);
  EXPECT_DOUBLE_EQ(rule->lift, 9.0 / 7.0);
  EXPECT_DOUBLE_EQ(rule->support, 2.0 / 9.0);
  for (const auto& r : rules) EXPECT_GE(r.confidence, 0.7);
  for (size_t i = 1; i < rules.size(); ++i) EXPECT_GE(rules[i - 1].lift, rules[i].lift);
}

TEST(FpGrowth, MatchesBruteForceExactlyOnRandomSmallData) {
  for (uint64_t seed = 1; seed <= 12; ++seed) {
    const auto baskets = RandomBaskets(60 + seed * 7, 10, seed);
    for (double min_support : {0.02, 0.05, 0.15, 0.4}) {
      const auto min_count =
          static_cast<size_t>(std::ceil(min_support * static_cast<double>(baskets.size()) - 1e-9));
      const auto expected = BruteForceItemsets(baskets, std::max<size_t>(1, min_count));
      const auto itemsets = FindFrequentItemsets(baskets, {.min_support = min_support});
      std::map<std::vector<Item>, size_t> found;
      for (const auto& itemset : itemsets) {
        EXPECT_TRUE(found.emplace(itemset.items, itemset.count).second)
            << "an itemset reported twice";
        EXPECT_DOUBLE_EQ(itemset.support,
                         static_cast<double>(itemset.count) / static_cast<double>(baskets.size()));
      }
      EXPECT_EQ(found, expected) << "seed " << seed << " min_support " << min_support;

      // Every rule's measures from the brute-force counts.
      for (const auto& rule : DeriveAssociationRules(itemsets, baskets.size(), 0.0)) {
        std::vector<Item> both = rule.antecedent;
        both.insert(both.end(), rule.consequent.begin(), rule.consequent.end());
        std::sort(both.begin(), both.end());
        const double n = static_cast<double>(baskets.size());
        ASSERT_TRUE(expected.contains(both));
        EXPECT_EQ(rule.count, expected.at(both));
        EXPECT_DOUBLE_EQ(rule.confidence, static_cast<double>(expected.at(both)) /
                                              static_cast<double>(expected.at(rule.antecedent)));
        EXPECT_NEAR(rule.lift,
                    rule.confidence / (static_cast<double>(expected.at(rule.consequent)) / n),
                    1e-12);
      }
    }
  }
}

TEST(FpGrowth, MaxLengthCapsItemsetsAndBundlesRankFirstByLift) {
  const auto baskets = RandomBaskets(400, 10, 99);
  const auto itemsets = FindFrequentItemsets(baskets, {.min_support = 0.01, .max_length = 2});
  for (const auto& itemset : itemsets) EXPECT_LE(itemset.items.size(), 2u);
  const auto rules = DeriveAssociationRules(itemsets, baskets.size(), 0.5);
  ASSERT_FALSE(rules.empty());
  // The planted bundle {3, 7} is bought together every time: the top rules.
  EXPECT_EQ(rules.front().antecedent.size() + rules.front().consequent.size(), 2u);
  std::vector<Item> top = rules.front().antecedent;
  top.insert(top.end(), rules.front().consequent.begin(), rules.front().consequent.end());
  std::sort(top.begin(), top.end());
  EXPECT_EQ(top, (std::vector<Item>{3, 7}));
}

TEST(FpGrowth, BadThresholdsAreRefusedAndEmptyInputIsEmpty) {
  const std::vector<Basket> baskets = {{1, 2}};
  EXPECT_THROW(FindFrequentItemsets(baskets, {.min_support = 0}), std::invalid_argument);
  EXPECT_THROW(FindFrequentItemsets(baskets, {.min_support = 1.5}), std::invalid_argument);
  EXPECT_THROW(FindFrequentItemsets(baskets, {.min_support = std::nan("")}), std::invalid_argument);
  EXPECT_TRUE(FindFrequentItemsets({}, {.min_support = 0.5}).empty());
  const auto itemsets = FindFrequentItemsets(baskets, {.min_support = 1.0});
  EXPECT_EQ(itemsets.size(), 3u);
  EXPECT_THROW(DeriveAssociationRules(itemsets, 1, 1.1), std::invalid_argument);
  EXPECT_THROW(DeriveAssociationRules(itemsets, 0, 0.5), std::invalid_argument);
  // A set of itemsets missing a subset is not FP-Growth output.
  EXPECT_THROW(DeriveAssociationRules({{.items = {1, 2}, .count = 1, .support = 1}}, 1, 0.5),
               std::invalid_argument);
}

}  // namespace
}  // namespace futureim::ml
