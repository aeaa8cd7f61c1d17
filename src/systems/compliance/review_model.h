#pragma once

// The supervised half of fraud scoring: gradient-boosted trees (XGBoost, via
// ml/boosted_trees.h) trained on the orders analysts have reviewed, with every
// transaction feature and the anomaly score as inputs.

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "systems/compliance/transaction_features.h"

namespace futureim::systems::compliance {

// P(fraud) for every row of `features`, from a model trained on the rows in
// `labelled` (row, confirmed fraud); nothing when either verdict has fewer
// than `min_per_class` reviews. Deterministic for a seed.
std::optional<std::vector<double>> ReviewModelProbabilities(
    const TransactionFeatures& features, const std::vector<double>& anomaly,
    const std::vector<std::pair<size_t, bool>>& labelled, size_t min_per_class, uint64_t seed);

}  // namespace futureim::systems::compliance
