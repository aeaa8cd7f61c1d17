#pragma once

// How good a model is, measured the standard way. One implementation of each
// measure for the whole product: forecasts (RMSE, MAE, MAPE, MASE), classifiers
// (ROC AUC, average precision, log loss, Brier score).
//
// Inputs are parallel vectors of equal, non-zero length; a mismatch or an
// empty input throws std::invalid_argument. Measures that are undefined for
// the data (MAPE with every actual zero, AUC with one class only) return
// nullopt rather than NaN, so no NaN ever reaches an API answer.

#include <optional>
#include <span>
#include <vector>

namespace futureim::ml {

double RootMeanSquaredError(std::span<const double> actual, std::span<const double> predicted);
double MeanAbsoluteError(std::span<const double> actual, std::span<const double> predicted);
// Mean of |actual − predicted| / |actual| × 100 over the points whose actual
// is non-zero; nullopt when every actual is zero.
std::optional<double> MeanAbsolutePercentageError(std::span<const double> actual,
                                                  std::span<const double> predicted);
// MAE of the forecast divided by the in-sample MAE of the seasonal naive
// forecast with period `season` (1: naive) over `history` (Hyndman & Koehler
// 2006). nullopt when the history is shorter than season + 1 or the naive
// forecast is perfect in sample (a constant history).
std::optional<double> MeanAbsoluteScaledError(std::span<const double> actual,
                                              std::span<const double> predicted,
                                              std::span<const double> history, size_t season);

// Area under the ROC curve of `score` for the positives (`label` true), ties
// counted half (the Mann–Whitney statistic). nullopt with only one class.
std::optional<double> RocAuc(const std::vector<bool>& label, std::span<const double> score);
// Average precision (area under the precision–recall curve as a step
// function, sklearn's average_precision_score): the mean, over positives, of
// the precision at each positive's rank; tied scores are ranked together.
// nullopt without positives.
std::optional<double> AveragePrecision(const std::vector<bool>& label,
                                       std::span<const double> score);
// Mean negative log-likelihood of probabilities (clipped to [1e-15, 1 − 1e-15]).
double LogLoss(const std::vector<bool>& label, std::span<const double> probability);
// Mean squared error of probabilities.
double BrierScore(const std::vector<bool>& label, std::span<const double> probability);

}  // namespace futureim::ml
