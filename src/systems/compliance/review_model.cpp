#include "systems/compliance/review_model.h"

#include <algorithm>

#include "ml/boosted_trees.h"

namespace futureim::systems::compliance {
namespace {

// The supervised model's inputs: every feature, then the anomaly score.
ml::FeatureMatrix SupervisedInputs(const TransactionFeatures& features,
                                   const std::vector<double>& anomaly) {
  const size_t width = TransactionFeatureSpecs().size();
  ml::FeatureMatrix inputs(features.Rows(), width + 1);
  for (size_t r = 0; r < features.Rows(); ++r) {
    const auto row = features.Row(r);
    for (size_t f = 0; f < width; ++f) inputs.At(r, f) = static_cast<float>(row[f]);
    inputs.At(r, width) = static_cast<float>(anomaly[r]);
  }
  return inputs;
}

}  // namespace

std::optional<std::vector<double>> ReviewModelProbabilities(
    const TransactionFeatures& features, const std::vector<double>& anomaly,
    const std::vector<std::pair<size_t, bool>>& labelled, size_t min_per_class, uint64_t seed) {
  const ml::FeatureMatrix inputs = SupervisedInputs(features, anomaly);
  const auto confirmed = static_cast<size_t>(
      std::count_if(labelled.begin(), labelled.end(), [](const auto& l) { return l.second; }));
  const size_t dismissed = labelled.size() - confirmed;
  if (confirmed < min_per_class || dismissed < min_per_class) return std::nullopt;
  ml::FeatureMatrix training(labelled.size(), inputs.Columns());
  std::vector<float> labels;
  for (size_t i = 0; i < labelled.size(); ++i) {
    for (size_t c = 0; c < inputs.Columns(); ++c)
      training.At(i, c) = inputs.At(labelled[i].first, c);
    labels.push_back(labelled[i].second ? 1.0f : 0.0f);
  }
  // Shallow trees: a few hundred reviews support little more, and depth 3
  // still combines a pattern's two or three signals.
  const auto model = ml::BoostedTrees::Train(
      training, labels,
      {.objective = ml::BoostedTreesObjective::kBinaryLogistic,
       .rounds = 100,
       .learning_rate = 0.1,
       .max_depth = 3,
       .positive_weight = static_cast<double>(dismissed) / static_cast<double>(confirmed),
       .seed = seed});
  return model.Predict(inputs);
}

}  // namespace futureim::systems::compliance
