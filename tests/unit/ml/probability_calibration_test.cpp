#include "ml/probability_calibration.h"

#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "core/error.h"

namespace futureim::ml {
namespace {

TEST(ProbabilityCalibrationTest, PlattRecoversTheTrueLogisticLink) {
  // Outcomes drawn with P(y = 1 | s) = 1 / (1 + exp(-2s + 1)), i.e. A = -2, B = 1.
  std::mt19937_64 random(7);
  std::normal_distribution<double> score(0, 1.5);
  std::uniform_real_distribution<double> unit(0, 1);
  std::vector<double> scores;
  std::vector<int> labels;
  for (int i = 0; i < 40000; ++i) {
    const double s = score(random);
    scores.push_back(s);
    labels.push_back(unit(random) < 1 / (1 + std::exp(-2 * s + 1)) ? 1 : 0);
  }
  const auto platt = PlattCalibration::Fit(scores, labels);
  EXPECT_NEAR(platt.slope(), -2, 0.08);
  EXPECT_NEAR(platt.intercept(), 1, 0.06);
  EXPECT_NEAR(platt.Apply(0.5), 0.5, 0.02);
}

TEST(ProbabilityCalibrationTest, IsotonicPoolsAdjacentViolators) {
  const std::vector<double> scores = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  const std::vector<int> labels = {0, 1, 0, 0, 1, 0, 1, 1, 1, 1};
  const auto isotonic = IsotonicCalibration::Fit(scores, labels);
  // PAV: {1}=0, {2,3,4}=1/3, {5,6}=1/2, {7..10}=1.
  EXPECT_DOUBLE_EQ(isotonic.Apply(1), 0);
  EXPECT_NEAR(isotonic.Apply(3), 1.0 / 3, 1e-12);
  EXPECT_NEAR(isotonic.Apply(5.5), 0.5, 1e-12);
  EXPECT_DOUBLE_EQ(isotonic.Apply(8.5), 1);
  EXPECT_DOUBLE_EQ(isotonic.Apply(-100), 0);
  EXPECT_DOUBLE_EQ(isotonic.Apply(100), 1);
  double previous = -1;
  for (double s = 0; s <= 11; s += 0.25) {
    EXPECT_GE(isotonic.Apply(s), previous);
    previous = isotonic.Apply(s);
  }
}

TEST(ProbabilityCalibrationTest, BadInputIsAClearError) {
  const std::vector<double> scores(20, 0.3);
  EXPECT_THROW(PlattCalibration::Fit(scores, std::vector<int>(20, 1)), core::Error);  // one class
  EXPECT_THROW(PlattCalibration::Fit(scores, std::vector<int>(19, 1)), core::Error);  // sizes
  std::vector<int> labels(20, 0);
  labels[0] = 2;
  EXPECT_THROW(IsotonicCalibration::Fit(scores, labels), core::Error);
  labels[0] = 1;
  auto bad = scores;
  bad[3] = std::nan("");
  EXPECT_THROW(IsotonicCalibration::Fit(bad, labels), core::Error);
}

}  // namespace
}  // namespace futureim::ml
