#include "ml/boosted_trees.h"

#include <cmath>
#include <stdexcept>
#include <utility>

#include <xgboost/c_api.h>

namespace futureim::ml {
namespace {

void Check(int status, const char* what) {
  if (status != 0)
    throw std::runtime_error(std::string("XGBoost ") + what + ": " + XGBGetLastError());
}

// An owned DMatrix over a FeatureMatrix's rows (XGBoost copies the data).
class DMatrix {
 public:
  explicit DMatrix(const FeatureMatrix& features) {
    Check(
        XGDMatrixCreateFromMat(features.Data(), features.Rows(), features.Columns(), NAN, &handle_),
        "DMatrix");
  }
  ~DMatrix() { XGDMatrixFree(handle_); }
  DMatrix(const DMatrix&) = delete;
  DMatrix& operator=(const DMatrix&) = delete;
  DMatrixHandle Get() const { return handle_; }

 private:
  DMatrixHandle handle_ = nullptr;
};

std::string Number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return buffer;
}

}  // namespace

FeatureMatrix::FeatureMatrix(size_t rows, size_t columns)
    : rows_(rows), columns_(columns), values_(rows * columns, NAN) {}

BoostedTrees BoostedTrees::Train(const FeatureMatrix& features, std::span<const float> labels,
                                 const BoostedTreesParams& params, std::span<const float> weights) {
  if (features.Rows() == 0 || features.Columns() == 0) {
    throw std::invalid_argument("boosted trees: no training rows or no features");
  }
  if (labels.size() != features.Rows()) {
    throw std::invalid_argument("boosted trees: " + std::to_string(features.Rows()) + " rows but " +
                                std::to_string(labels.size()) + " labels");
  }
  if (!weights.empty() && weights.size() != features.Rows()) {
    throw std::invalid_argument("boosted trees: weights must be one per row");
  }
  const bool binary = params.objective == BoostedTreesObjective::kBinaryLogistic;
  for (float label : labels) {
    if (!std::isfinite(label)) throw std::invalid_argument("boosted trees: a label is not finite");
    if (binary && label != 0 && label != 1) {
      throw std::invalid_argument("boosted trees: binary labels must be 0 or 1");
    }
  }
  if (params.rounds < 1) throw std::invalid_argument("boosted trees: rounds must be at least 1");

  DMatrix train(features);
  Check(XGDMatrixSetFloatInfo(train.Get(), "label", labels.data(), labels.size()), "labels");
  if (!weights.empty()) {
    Check(XGDMatrixSetFloatInfo(train.Get(), "weight", weights.data(), weights.size()), "weights");
  }
  DMatrixHandle matrices[] = {train.Get()};
  BoosterHandle booster = nullptr;
  Check(XGBoosterCreate(matrices, 1, &booster), "create");
  BoostedTrees model(booster, features.Columns());
  const std::pair<const char*, std::string> settings[] = {
      {"objective", binary ? "binary:logistic" : "reg:squarederror"},
      {"tree_method", "hist"},
      {"eta", Number(params.learning_rate)},
      {"max_depth", std::to_string(params.max_depth)},
      {"min_child_weight", Number(params.min_child_weight)},
      {"subsample", Number(params.subsample)},
      {"colsample_bytree", Number(params.column_sample)},
      {"lambda", Number(params.l2_regularisation)},
      {"scale_pos_weight", Number(params.positive_weight)},
      {"seed", std::to_string(params.seed)},
      {"nthread", std::to_string(params.threads)},
      {"verbosity", "0"},
  };
  for (const auto& [name, value] : settings) {
    Check(XGBoosterSetParam(booster, name, value.c_str()), name);
  }
  for (int round = 0; round < params.rounds; ++round) {
    Check(XGBoosterUpdateOneIter(booster, round, train.Get()), "training");
  }
  return model;
}

BoostedTrees BoostedTrees::Load(std::string_view saved) {
  BoosterHandle booster = nullptr;
  Check(XGBoosterCreate(nullptr, 0, &booster), "create");
  BoostedTrees model(booster, 0);
  Check(XGBoosterLoadModelFromBuffer(booster, saved.data(), saved.size()), "load");
  bst_ulong columns = 0;
  Check(XGBoosterGetNumFeature(booster, &columns), "load");
  model.columns_ = columns;
  return model;
}

BoostedTrees::BoostedTrees(void* booster, size_t columns) : booster_(booster), columns_(columns) {}

BoostedTrees::~BoostedTrees() {
  if (booster_) XGBoosterFree(booster_);
}

BoostedTrees::BoostedTrees(BoostedTrees&& other) noexcept
    : booster_(std::exchange(other.booster_, nullptr)),
      columns_(other.columns_),
      mutex_(std::move(other.mutex_)) {}

BoostedTrees& BoostedTrees::operator=(BoostedTrees&& other) noexcept {
  if (this != &other) {
    if (booster_) XGBoosterFree(booster_);
    booster_ = std::exchange(other.booster_, nullptr);
    columns_ = other.columns_;
    mutex_ = std::move(other.mutex_);
  }
  return *this;
}

std::vector<float> BoostedTrees::RawPredict(const FeatureMatrix& features, int option_mask) const {
  if (!booster_) throw std::logic_error("boosted trees: use of a moved-from model");
  if (features.Columns() != columns_) {
    throw std::invalid_argument("boosted trees: the model has " + std::to_string(columns_) +
                                " features, the input " + std::to_string(features.Columns()));
  }
  if (features.Rows() == 0) return {};
  DMatrix input(features);
  std::lock_guard lock(*mutex_);
  bst_ulong length = 0;
  const float* result = nullptr;
  Check(XGBoosterPredict(booster_, input.Get(), option_mask, 0, 0, &length, &result), "predict");
  return std::vector<float>(result, result + length);
}

std::vector<double> BoostedTrees::Predict(const FeatureMatrix& features) const {
  const std::vector<float> raw = RawPredict(features, 0);
  return std::vector<double>(raw.begin(), raw.end());
}

FeatureMatrix BoostedTrees::Contributions(const FeatureMatrix& features) const {
  const std::vector<float> raw = RawPredict(features, 4);  // pred_contribs
  FeatureMatrix contributions(features.Rows(), columns_ + 1);
  if (raw.size() != contributions.Rows() * contributions.Columns()) {
    throw std::runtime_error("XGBoost contributions: unexpected shape");
  }
  for (size_t row = 0; row < contributions.Rows(); ++row) {
    for (size_t column = 0; column <= columns_; ++column) {
      contributions.At(row, column) = raw[row * (columns_ + 1) + column];
    }
  }
  return contributions;
}

std::string BoostedTrees::Save() const {
  if (!booster_) throw std::logic_error("boosted trees: use of a moved-from model");
  std::lock_guard lock(*mutex_);
  bst_ulong length = 0;
  const char* data = nullptr;
  Check(XGBoosterSaveModelToBuffer(booster_, R"({"format": "json"})", &length, &data), "save");
  return std::string(data, length);
}

}  // namespace futureim::ml
