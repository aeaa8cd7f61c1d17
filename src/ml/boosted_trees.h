#pragma once

// Gradient-boosted trees (XGBoost 1.7, through its C API): the one wrapper the
// product uses for supervised models (churn, fraud, lag-feature forecasts).
//
// Determinism: training with the same data, parameters and seed gives the
// same model (XGBoost's "hist" method with a fixed seed and thread count).
// Threads: a trained model may be used for prediction from several threads;
// calls are serialised inside (XGBoost's booster is not documented as
// thread-safe for concurrent predictions in 1.7).

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace futureim::ml {

// Rows × columns of float features, row-major. NaN means "missing" (XGBoost
// learns a default direction for it).
class FeatureMatrix {
 public:
  FeatureMatrix(size_t rows, size_t columns);
  size_t Rows() const { return rows_; }
  size_t Columns() const { return columns_; }
  float& At(size_t row, size_t column) { return values_[row * columns_ + column]; }
  float At(size_t row, size_t column) const { return values_[row * columns_ + column]; }
  const float* Data() const { return values_.data(); }

 private:
  size_t rows_;
  size_t columns_;
  std::vector<float> values_;
};

enum class BoostedTreesObjective {
  kRegression,      // squared error; Predict gives the value
  kBinaryLogistic,  // labels 0/1; Predict gives P(label = 1)
};

struct BoostedTreesParams {
  BoostedTreesObjective objective = BoostedTreesObjective::kRegression;
  int rounds = 200;
  double learning_rate = 0.1;
  int max_depth = 6;
  double min_child_weight = 1.0;
  double subsample = 1.0;
  double column_sample = 1.0;
  double l2_regularisation = 1.0;  // lambda
  // Weight of positives relative to negatives (binary only): the usual
  // negatives / positives for imbalanced classes.
  double positive_weight = 1.0;
  uint64_t seed = 0;
  int threads = 1;
};

class BoostedTrees {
 public:
  // Trains on `features` with one label per row (and optional per-row
  // weights). Throws std::invalid_argument for mismatched sizes, no rows, a
  // non-finite label, or binary labels other than 0/1; std::runtime_error
  // with XGBoost's message when it fails.
  static BoostedTrees Train(const FeatureMatrix& features, std::span<const float> labels,
                            const BoostedTreesParams& params, std::span<const float> weights = {});
  // A model saved by Save (XGBoost's JSON model format).
  static BoostedTrees Load(std::string_view saved);

  ~BoostedTrees();
  BoostedTrees(BoostedTrees&& other) noexcept;
  BoostedTrees& operator=(BoostedTrees&& other) noexcept;
  BoostedTrees(const BoostedTrees&) = delete;
  BoostedTrees& operator=(const BoostedTrees&) = delete;

  // One prediction per row. `features` must have the training column count.
  std::vector<double> Predict(const FeatureMatrix& features) const;
  // Per-row additive feature contributions (TreeSHAP) on the margin scale
  // (log-odds for binary): Columns() + 1 values per row, the last one the
  // bias; they sum to the row's margin. Used to explain a score.
  FeatureMatrix Contributions(const FeatureMatrix& features) const;
  std::string Save() const;
  size_t Columns() const { return columns_; }

 private:
  BoostedTrees(void* booster, size_t columns);
  std::vector<float> RawPredict(const FeatureMatrix& features, int option_mask) const;

  void* booster_ = nullptr;  // BoosterHandle
  size_t columns_ = 0;
  std::unique_ptr<std::mutex> mutex_ = std::make_unique<std::mutex>();
};

}  // namespace futureim::ml
