#include "ml/accuracy_metrics.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

namespace futureim::ml {
namespace {

template <typename A, typename B>
void CheckParallel(const A& a, const B& b, const char* measure) {
  if (a.empty()) throw std::invalid_argument(std::string(measure) + ": no data");
  if (a.size() != b.size()) {
    throw std::invalid_argument(std::string(measure) + ": " + std::to_string(a.size()) +
                                " actual values but " + std::to_string(b.size()) + " predictions");
  }
}

// Indices of `score` from highest to lowest (stable, so ties keep input order).
std::vector<size_t> ByScoreDescending(std::span<const double> score) {
  std::vector<size_t> order(score.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return score[a] > score[b]; });
  return order;
}

}  // namespace

double RootMeanSquaredError(std::span<const double> actual, std::span<const double> predicted) {
  CheckParallel(actual, predicted, "RMSE");
  double sum = 0;
  for (size_t i = 0; i < actual.size(); ++i) sum += std::pow(actual[i] - predicted[i], 2);
  return std::sqrt(sum / static_cast<double>(actual.size()));
}

double MeanAbsoluteError(std::span<const double> actual, std::span<const double> predicted) {
  CheckParallel(actual, predicted, "MAE");
  double sum = 0;
  for (size_t i = 0; i < actual.size(); ++i) sum += std::abs(actual[i] - predicted[i]);
  return sum / static_cast<double>(actual.size());
}

std::optional<double> MeanAbsolutePercentageError(std::span<const double> actual,
                                                  std::span<const double> predicted) {
  CheckParallel(actual, predicted, "MAPE");
  double sum = 0;
  size_t counted = 0;
  for (size_t i = 0; i < actual.size(); ++i) {
    if (actual[i] == 0) continue;
    sum += std::abs((actual[i] - predicted[i]) / actual[i]);
    ++counted;
  }
  if (counted == 0) return std::nullopt;
  return 100.0 * sum / static_cast<double>(counted);
}

std::optional<double> MeanAbsoluteScaledError(std::span<const double> actual,
                                              std::span<const double> predicted,
                                              std::span<const double> history, size_t season) {
  CheckParallel(actual, predicted, "MASE");
  if (season == 0) throw std::invalid_argument("MASE: the season must be at least 1");
  if (history.size() <= season) return std::nullopt;
  double naive = 0;
  for (size_t t = season; t < history.size(); ++t)
    naive += std::abs(history[t] - history[t - season]);
  naive /= static_cast<double>(history.size() - season);
  if (naive == 0) return std::nullopt;
  return MeanAbsoluteError(actual, predicted) / naive;
}

std::optional<double> RocAuc(const std::vector<bool>& label, std::span<const double> score) {
  CheckParallel(label, score, "ROC AUC");
  // Mann–Whitney U from average ranks (ascending), ties sharing their mean rank.
  std::vector<size_t> order(score.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return score[a] < score[b]; });
  double positive_rank_sum = 0;
  size_t positives = 0;
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j < order.size() && score[order[j]] == score[order[i]]) ++j;
    const double mean_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
    for (size_t k = i; k < j; ++k) {
      if (label[order[k]]) {
        positive_rank_sum += mean_rank;
        ++positives;
      }
    }
    i = j;
  }
  const size_t negatives = label.size() - positives;
  if (positives == 0 || negatives == 0) return std::nullopt;
  const double p = static_cast<double>(positives);
  return (positive_rank_sum - p * (p + 1) / 2.0) / (p * static_cast<double>(negatives));
}

std::optional<double> AveragePrecision(const std::vector<bool>& label,
                                       std::span<const double> score) {
  CheckParallel(label, score, "average precision");
  const size_t positives = static_cast<size_t>(std::count(label.begin(), label.end(), true));
  if (positives == 0) return std::nullopt;
  const std::vector<size_t> order = ByScoreDescending(score);
  // Walk thresholds from the highest score down; a group of tied scores is one
  // threshold: AP = Σ (recall_k − recall_{k−1}) × precision_k.
  double ap = 0;
  size_t true_positives = 0;
  size_t seen = 0;
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    size_t group_positives = 0;
    while (j < order.size() && score[order[j]] == score[order[i]]) {
      if (label[order[j]]) ++group_positives;
      ++j;
    }
    seen += j - i;
    true_positives += group_positives;
    if (group_positives > 0) {
      const double precision = static_cast<double>(true_positives) / static_cast<double>(seen);
      ap += precision * static_cast<double>(group_positives) / static_cast<double>(positives);
    }
    i = j;
  }
  return ap;
}

double LogLoss(const std::vector<bool>& label, std::span<const double> probability) {
  CheckParallel(label, probability, "log loss");
  double sum = 0;
  for (size_t i = 0; i < label.size(); ++i) {
    const double p = std::clamp(probability[i], 1e-15, 1 - 1e-15);
    sum -= label[i] ? std::log(p) : std::log(1 - p);
  }
  return sum / static_cast<double>(label.size());
}

double BrierScore(const std::vector<bool>& label, std::span<const double> probability) {
  CheckParallel(label, probability, "Brier score");
  double sum = 0;
  for (size_t i = 0; i < label.size(); ++i) {
    sum += std::pow(probability[i] - (label[i] ? 1.0 : 0.0), 2);
  }
  return sum / static_cast<double>(label.size());
}

}  // namespace futureim::ml
