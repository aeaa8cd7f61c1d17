// Reference values computed by hand and with sklearn.metrics / the
// definitions in Hyndman & Koehler (2006).

#include "ml/accuracy_metrics.h"

#include <cmath>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

namespace futureim::ml {
namespace {

TEST(AccuracyMetricsTest, ForecastErrors) {
  const std::vector<double> actual = {3, -0.5, 2, 7};
  const std::vector<double> predicted = {2.5, 0.0, 2, 8};
  EXPECT_NEAR(RootMeanSquaredError(actual, predicted), 0.612372, 1e-6);  // sklearn
  EXPECT_NEAR(MeanAbsoluteError(actual, predicted), 0.5, 1e-12);
  // |0.5/3| + |0.5/0.5| + 0 + |1/7| over 4, in percent.
  EXPECT_NEAR(*MeanAbsolutePercentageError(actual, predicted),
              100 * (0.5 / 3 + 1 + 0 + 1.0 / 7) / 4, 1e-9);
}

TEST(AccuracyMetricsTest, MapeSkipsZerosAndIsUndefinedWhenAllAreZero) {
  EXPECT_NEAR(*MeanAbsolutePercentageError(std::vector<double>{0, 10}, std::vector<double>{5, 12}),
              20.0, 1e-12);
  EXPECT_FALSE(MeanAbsolutePercentageError(std::vector<double>{0, 0}, std::vector<double>{1, 1}));
}

TEST(AccuracyMetricsTest, MaseScalesBySeasonalNaiveInSample) {
  // History 1..8 with season 2: the naive in-sample error is always 2.
  const std::vector<double> history = {1, 2, 3, 4, 5, 6, 7, 8};
  const std::vector<double> actual = {9, 10};
  const std::vector<double> predicted = {8, 13};  // MAE 2
  EXPECT_NEAR(*MeanAbsoluteScaledError(actual, predicted, history, 2), 1.0, 1e-12);
  EXPECT_FALSE(MeanAbsoluteScaledError(actual, predicted, std::vector<double>{5, 5, 5}, 1));
  EXPECT_FALSE(MeanAbsoluteScaledError(actual, predicted, std::vector<double>{5, 6}, 2));
  EXPECT_THROW(MeanAbsoluteScaledError(actual, predicted, history, 0), std::invalid_argument);
}

TEST(AccuracyMetricsTest, RocAucMatchesSklearnWithTies) {
  // sklearn.metrics.roc_auc_score([0,0,1,1], [0.1,0.4,0.35,0.8]) == 0.75
  EXPECT_NEAR(*RocAuc({false, false, true, true}, std::vector<double>{0.1, 0.4, 0.35, 0.8}), 0.75,
              1e-12);
  // A tie between a positive and a negative counts half: 0.5 * (1 + 0.5) ...
  // roc_auc_score([0,1,0,1], [0.5,0.5,0.2,0.9]) == 0.875
  EXPECT_NEAR(*RocAuc({false, true, false, true}, std::vector<double>{0.5, 0.5, 0.2, 0.9}), 0.875,
              1e-12);
  EXPECT_FALSE(RocAuc({true, true}, std::vector<double>{0.1, 0.2}));
}

TEST(AccuracyMetricsTest, AveragePrecisionMatchesSklearn) {
  // sklearn.metrics.average_precision_score([0,0,1,1], [0.1,0.4,0.35,0.8]) == 0.8333...
  EXPECT_NEAR(
      *AveragePrecision({false, false, true, true}, std::vector<double>{0.1, 0.4, 0.35, 0.8}),
      0.8333333333, 1e-9);
  // Ties form one threshold: average_precision_score([1,0,1,0], [0.5,0.5,0.5,0.1]) == 0.6667
  EXPECT_NEAR(
      *AveragePrecision({true, false, true, false}, std::vector<double>{0.5, 0.5, 0.5, 0.1}),
      2.0 / 3.0, 1e-9);
  EXPECT_FALSE(AveragePrecision({false, false}, std::vector<double>{0.1, 0.2}));
}

TEST(AccuracyMetricsTest, ProbabilityScores) {
  // sklearn.metrics.log_loss([1,0], [0.9,0.2]) == 0.164252
  EXPECT_NEAR(LogLoss({true, false}, std::vector<double>{0.9, 0.2}), 0.1642520, 1e-6);
  EXPECT_TRUE(std::isfinite(LogLoss({true}, std::vector<double>{0.0})));  // clipped, not inf
  EXPECT_NEAR(BrierScore({true, false}, std::vector<double>{0.9, 0.2}), (0.01 + 0.04) / 2, 1e-12);
}

TEST(AccuracyMetricsTest, MismatchedOrEmptyInputIsAnError) {
  EXPECT_THROW(RootMeanSquaredError(std::vector<double>{1, 2}, std::vector<double>{1}),
               std::invalid_argument);
  EXPECT_THROW(MeanAbsoluteError(std::vector<double>{}, std::vector<double>{}),
               std::invalid_argument);
  EXPECT_THROW(RocAuc({true}, std::vector<double>{}), std::invalid_argument);
}

}  // namespace
}  // namespace futureim::ml
