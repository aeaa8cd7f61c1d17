#pragma once

// Isolation forest (Liu, Ting & Zhou 2008): anomalies are the points that
// random axis-parallel splits isolate in few steps. The standard algorithm:
// each tree is grown on a random subsample (256 rows without replacement) to a
// height limit of ceil(log2(subsample)); a point's path length is the depth of
// the leaf it reaches plus c(leaf size), the expected depth of the unbuilt
// subtree; the score is 2^(−E[h] / c(subsample)) in (0, 1], higher = more
// anomalous, about 0.5 for an ordinary point.
//
// Deterministic: the same data, options and seed give the same forest.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace futureim::ml {

struct IsolationForestOptions {
  size_t trees = 100;
  size_t subsample = 256;  // capped at the number of rows
  uint64_t seed = 0;
};

// c(n) = 2·H(n−1) − 2(n−1)/n, the average path length of an unsuccessful
// search in a binary search tree of n points (c(1) = 0, c(2) = 1).
double AveragePathLength(size_t n);

class IsolationForest {
 public:
  // Fits on `data`: rows × `columns` values, row-major, every value finite.
  // Throws std::invalid_argument on an empty matrix, a size that is not a
  // multiple of `columns`, a non-finite value or zero trees/subsample.
  IsolationForest(std::span<const double> data, size_t columns,
                  const IsolationForestOptions& options);

  size_t Columns() const { return columns_; }
  // The anomaly score of one row (`Columns()` values).
  double Score(std::span<const double> row) const;
  // Scores of every row of a row-major matrix with `Columns()` columns.
  std::vector<double> ScoreRows(std::span<const double> data) const;

 private:
  // A node: internal when feature >= 0 (left child is the next node, right
  // child at `right`); a leaf holds the number of training rows that reached it.
  struct Node {
    int32_t feature = -1;
    uint32_t right = 0;
    double split = 0;
    size_t size = 0;
  };
  using Tree = std::vector<Node>;

  double PathLength(const Tree& tree, std::span<const double> row) const;

  size_t columns_;
  size_t sample_size_ = 0;
  std::vector<Tree> trees_;
};

}  // namespace futureim::ml
