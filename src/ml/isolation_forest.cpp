#include "ml/isolation_forest.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>

namespace futureim::ml {
namespace {

constexpr double kEulerGamma = 0.5772156649015329;

// Grows one tree over the rows `rows` of a row-major matrix, in pre-order (a
// node's left subtree follows it directly).
class TreeBuilder {
 public:
  TreeBuilder(std::span<const double> data, size_t columns, size_t height_limit,
              std::mt19937_64& random)
      : data_(data), columns_(columns), height_limit_(height_limit), random_(random) {}

  template <typename Node>
  void Grow(std::vector<Node>& tree, std::span<size_t> rows, size_t depth) {
    const size_t index = tree.size();
    tree.push_back(Node{});
    tree[index].size = rows.size();
    if (depth >= height_limit_ || rows.size() <= 1) return;

    // A feature that is constant over the node cannot split it; draw among the
    // others (sklearn's extra tree does the same), a leaf when none varies.
    std::vector<size_t> varying;
    std::vector<double> low(columns_), high(columns_);
    for (size_t c = 0; c < columns_; ++c) {
      double lo = Value(rows[0], c), hi = lo;
      for (size_t r : rows) {
        lo = std::min(lo, Value(r, c));
        hi = std::max(hi, Value(r, c));
      }
      low[c] = lo;
      high[c] = hi;
      if (hi > lo) varying.push_back(c);
    }
    if (varying.empty()) return;
    const size_t feature =
        varying[std::uniform_int_distribution<size_t>(0, varying.size() - 1)(random_)];
    double split = std::uniform_real_distribution<double>(low[feature], high[feature])(random_);
    if (split <= low[feature])
      split = std::nextafter(low[feature], high[feature]);  // both sides non-empty

    const auto middle = std::partition(rows.begin(), rows.end(),
                                       [&](size_t r) { return Value(r, feature) < split; });
    const size_t left_count = static_cast<size_t>(middle - rows.begin());
    tree[index].feature = static_cast<int32_t>(feature);
    tree[index].split = split;
    Grow(tree, rows.subspan(0, left_count), depth + 1);
    tree[index].right = static_cast<uint32_t>(tree.size());
    Grow(tree, rows.subspan(left_count), depth + 1);
  }

 private:
  double Value(size_t row, size_t column) const { return data_[row * columns_ + column]; }

  std::span<const double> data_;
  size_t columns_;
  size_t height_limit_;
  std::mt19937_64& random_;
};

}  // namespace

double AveragePathLength(size_t n) {
  if (n <= 1) return 0.0;
  if (n == 2) return 1.0;
  const double m = static_cast<double>(n - 1);
  return 2.0 * (std::log(m) + kEulerGamma) - 2.0 * m / static_cast<double>(n);
}

IsolationForest::IsolationForest(std::span<const double> data, size_t columns,
                                 const IsolationForestOptions& options)
    : columns_(columns) {
  if (columns == 0 || data.empty() || data.size() % columns != 0) {
    throw std::invalid_argument(
        "isolation forest: the data must be a non-empty row-major matrix of " +
        std::to_string(columns) + " columns");
  }
  if (options.trees == 0 || options.subsample == 0) {
    throw std::invalid_argument("isolation forest: trees and subsample must be positive");
  }
  if (!std::all_of(data.begin(), data.end(), [](double v) { return std::isfinite(v); })) {
    throw std::invalid_argument("isolation forest: every value must be finite");
  }
  const size_t row_count = data.size() / columns;
  sample_size_ = std::min(options.subsample, row_count);
  const auto height_limit =
      static_cast<size_t>(std::ceil(std::log2(std::max<double>(2, sample_size_))));

  std::mt19937_64 random(options.seed);
  std::vector<size_t> all_rows(row_count);
  std::iota(all_rows.begin(), all_rows.end(), 0);
  TreeBuilder builder(data, columns, height_limit, random);
  trees_.reserve(options.trees);
  for (size_t t = 0; t < options.trees; ++t) {
    // A partial Fisher–Yates shuffle draws the subsample without replacement.
    for (size_t i = 0; i < sample_size_; ++i) {
      std::swap(all_rows[i],
                all_rows[std::uniform_int_distribution<size_t>(i, row_count - 1)(random)]);
    }
    std::vector<size_t> sample(all_rows.begin(),
                               all_rows.begin() + static_cast<std::ptrdiff_t>(sample_size_));
    Tree tree;
    builder.Grow(tree, std::span<size_t>(sample), 0);
    trees_.push_back(std::move(tree));
  }
}

double IsolationForest::PathLength(const Tree& tree, std::span<const double> row) const {
  size_t index = 0;
  double depth = 0;
  while (tree[index].feature >= 0) {
    const Node& node = tree[index];
    index = row[static_cast<size_t>(node.feature)] < node.split ? index + 1 : node.right;
    depth += 1;
  }
  return depth + AveragePathLength(tree[index].size);
}

double IsolationForest::Score(std::span<const double> row) const {
  if (row.size() != columns_) {
    throw std::invalid_argument("isolation forest: a row has " + std::to_string(row.size()) +
                                " values, the model " + std::to_string(columns_));
  }
  double total = 0;
  for (const Tree& tree : trees_) total += PathLength(tree, row);
  const double mean = total / static_cast<double>(trees_.size());
  const double normaliser = AveragePathLength(sample_size_);
  // With a subsample of one row every path is 0; every point is equally ordinary.
  if (normaliser == 0) return 0.5;
  return std::exp2(-mean / normaliser);
}

std::vector<double> IsolationForest::ScoreRows(std::span<const double> data) const {
  if (data.size() % columns_ != 0) {
    throw std::invalid_argument("isolation forest: the data is not a matrix of " +
                                std::to_string(columns_) + " columns");
  }
  std::vector<double> scores;
  scores.reserve(data.size() / columns_);
  for (size_t offset = 0; offset < data.size(); offset += columns_)
    scores.push_back(Score(data.subspan(offset, columns_)));
  return scores;
}

}  // namespace futureim::ml
