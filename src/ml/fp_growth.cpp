#include "ml/fp_growth.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>
#include <tuple>
#include <unordered_map>

namespace futureim::ml {
namespace {

// An FP-tree over item ranks (0 = most frequent): baskets share prefixes, and
// the nodes of one item are reachable from its header list.
class FpTree {
 public:
  explicit FpTree(size_t item_count) : header_(item_count) { nodes_.push_back(Node{}); }

  // Adds a path of ascending ranks with multiplicity `count`.
  void Insert(const std::vector<size_t>& ranks, size_t count) {
    size_t current = 0;
    for (size_t rank : ranks) {
      auto& children = nodes_[current].children;
      auto found = children.find(rank);
      if (found == children.end()) {
        nodes_.push_back(Node{.rank = rank, .count = 0, .parent = current, .children = {}});
        const size_t created = nodes_.size() - 1;
        nodes_[current].children.emplace(rank, created);
        header_[rank].push_back(created);
        current = created;
      } else {
        current = found->second;
      }
      nodes_[current].count += count;
    }
  }

  size_t ItemCount() const { return header_.size(); }

  size_t Count(size_t rank) const {
    size_t total = 0;
    for (size_t node : header_[rank]) total += nodes_[node].count;
    return total;
  }

  // The conditional pattern base of `rank`: each prefix path (ranks
  // ascending) leading to one of its nodes, with that node's count.
  std::vector<std::pair<std::vector<size_t>, size_t>> PrefixPaths(size_t rank) const {
    std::vector<std::pair<std::vector<size_t>, size_t>> paths;
    for (size_t node : header_[rank]) {
      std::vector<size_t> path;
      for (size_t up = nodes_[node].parent; up != 0; up = nodes_[up].parent)
        path.push_back(nodes_[up].rank);
      std::reverse(path.begin(), path.end());
      paths.emplace_back(std::move(path), nodes_[node].count);
    }
    return paths;
  }

 private:
  struct Node {
    size_t rank = 0;
    size_t count = 0;
    size_t parent = 0;
    std::map<size_t, size_t> children;  // rank → node
  };
  std::vector<Node> nodes_;                  // node 0 is the root
  std::vector<std::vector<size_t>> header_;  // rank → its nodes
};

class FpGrowthMiner {
 public:
  FpGrowthMiner(std::vector<Item> item_of_rank, size_t min_count, size_t max_length, size_t baskets)
      : item_of_rank_(std::move(item_of_rank)),
        min_count_(min_count),
        max_length_(max_length),
        baskets_(baskets) {}

  // Mines `tree`, whose every itemset is extended by `suffix` (ranks).
  void Mine(const FpTree& tree, std::vector<size_t>& suffix) {
    for (size_t rank = tree.ItemCount(); rank-- > 0;) {
      const size_t count = tree.Count(rank);
      if (count < min_count_) continue;
      suffix.push_back(rank);
      Emit(suffix, count);
      if (max_length_ == 0 || suffix.size() < max_length_) {
        FpTree conditional(tree.ItemCount());
        // Only items frequent within the pattern base enter the conditional tree.
        std::vector<size_t> local_count(tree.ItemCount(), 0);
        const auto paths = tree.PrefixPaths(rank);
        for (const auto& [path, path_count] : paths) {
          for (size_t r : path) local_count[r] += path_count;
        }
        bool any = false;
        for (const auto& [path, path_count] : paths) {
          std::vector<size_t> kept;
          for (size_t r : path) {
            if (local_count[r] >= min_count_) kept.push_back(r);
          }
          if (!kept.empty()) {
            conditional.Insert(kept, path_count);
            any = true;
          }
        }
        if (any) Mine(conditional, suffix);
      }
      suffix.pop_back();
    }
  }

  std::vector<FrequentItemset> TakeResult() { return std::move(result_); }

 private:
  void Emit(const std::vector<size_t>& ranks, size_t count) {
    FrequentItemset itemset;
    for (size_t r : ranks) itemset.items.push_back(item_of_rank_[r]);
    std::sort(itemset.items.begin(), itemset.items.end());
    itemset.count = count;
    itemset.support = static_cast<double>(count) / static_cast<double>(baskets_);
    result_.push_back(std::move(itemset));
  }

  std::vector<Item> item_of_rank_;
  size_t min_count_;
  size_t max_length_;
  size_t baskets_;
  std::vector<FrequentItemset> result_;
};

bool ItemsetOrder(const FrequentItemset& a, const FrequentItemset& b) {
  if (a.items.size() != b.items.size()) return a.items.size() < b.items.size();
  return a.items < b.items;
}

}  // namespace

std::vector<FrequentItemset> FindFrequentItemsets(const std::vector<Basket>& baskets,
                                                  const FrequentItemsetOptions& options) {
  if (!(options.min_support > 0 && options.min_support <= 1)) {
    throw std::invalid_argument("FP-Growth: min_support must be in (0, 1]");
  }
  if (baskets.empty()) return {};
  // A small epsilon keeps 0.3 × 10 = 3.0000000000000004 from requiring 4.
  const auto min_count = static_cast<size_t>(
      std::max(1.0, std::ceil(options.min_support * static_cast<double>(baskets.size()) - 1e-9)));

  std::vector<Basket> unique_baskets;
  unique_baskets.reserve(baskets.size());
  std::unordered_map<Item, size_t> item_count;
  for (const Basket& basket : baskets) {
    Basket unique = basket;
    std::sort(unique.begin(), unique.end());
    unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
    for (Item item : unique) ++item_count[item];
    unique_baskets.push_back(std::move(unique));
  }
  // Ranks: frequent items by count descending (ties by id), so paths share prefixes.
  std::vector<Item> item_of_rank;
  for (const auto& [item, count] : item_count) {
    if (count >= min_count) item_of_rank.push_back(item);
  }
  std::sort(item_of_rank.begin(), item_of_rank.end(), [&](Item a, Item b) {
    return item_count[a] != item_count[b] ? item_count[a] > item_count[b] : a < b;
  });
  std::unordered_map<Item, size_t> rank_of_item;
  for (size_t r = 0; r < item_of_rank.size(); ++r) rank_of_item[item_of_rank[r]] = r;

  FpTree tree(item_of_rank.size());
  for (const Basket& basket : unique_baskets) {
    std::vector<size_t> ranks;
    for (Item item : basket) {
      auto found = rank_of_item.find(item);
      if (found != rank_of_item.end()) ranks.push_back(found->second);
    }
    std::sort(ranks.begin(), ranks.end());
    if (!ranks.empty()) tree.Insert(ranks, 1);
  }
  FpGrowthMiner miner(std::move(item_of_rank), min_count, options.max_length, baskets.size());
  std::vector<size_t> suffix;
  miner.Mine(tree, suffix);
  auto result = miner.TakeResult();
  std::sort(result.begin(), result.end(), ItemsetOrder);
  return result;
}

std::vector<AssociationRule> DeriveAssociationRules(const std::vector<FrequentItemset>& itemsets,
                                                    size_t baskets, double min_confidence) {
  if (!(min_confidence >= 0 && min_confidence <= 1)) {
    throw std::invalid_argument("association rules: min_confidence must be in [0, 1]");
  }
  if (baskets == 0)
    throw std::invalid_argument("association rules: the number of baskets must be positive");
  std::map<std::vector<Item>, size_t> count_of;
  for (const auto& itemset : itemsets) count_of[itemset.items] = itemset.count;
  const auto lookup = [&](const std::vector<Item>& items) {
    auto found = count_of.find(items);
    if (found == count_of.end()) {
      throw std::invalid_argument("association rules: the itemsets are not closed under subsets");
    }
    return found->second;
  };

  std::vector<AssociationRule> rules;
  const double total = static_cast<double>(baskets);
  for (const auto& itemset : itemsets) {
    const size_t n = itemset.items.size();
    if (n < 2 || n > 20) continue;  // 2^20 splits of one itemset is beyond any basket analysis
    for (uint32_t mask = 1; mask + 1 < (1u << n); ++mask) {
      AssociationRule rule;
      for (size_t i = 0; i < n; ++i) {
        ((mask >> i) & 1u ? rule.antecedent : rule.consequent).push_back(itemset.items[i]);
      }
      rule.count = itemset.count;
      rule.support = static_cast<double>(itemset.count) / total;
      rule.confidence =
          static_cast<double>(itemset.count) / static_cast<double>(lookup(rule.antecedent));
      if (rule.confidence < min_confidence) continue;
      rule.lift = rule.confidence / (static_cast<double>(lookup(rule.consequent)) / total);
      rules.push_back(std::move(rule));
    }
  }
  std::sort(rules.begin(), rules.end(), [](const AssociationRule& a, const AssociationRule& b) {
    if (a.lift != b.lift) return a.lift > b.lift;
    if (a.confidence != b.confidence) return a.confidence > b.confidence;
    if (a.support != b.support) return a.support > b.support;
    return std::tie(a.antecedent, a.consequent) < std::tie(b.antecedent, b.consequent);
  });
  return rules;
}

}  // namespace futureim::ml
