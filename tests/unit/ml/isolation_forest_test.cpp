#include "ml/isolation_forest.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <limits>
#include <numeric>
#include <random>
#include <sstream>
#include <stdexcept>

#include <gtest/gtest.h>

#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace futureim::ml {
namespace {

// A 4-column matrix: `inliers` rows from a correlated Gaussian cluster and
// `outliers` rows scattered far from it (the last rows).
std::vector<double> ClusterWithOutliers(size_t inliers, size_t outliers, uint64_t seed) {
  std::mt19937_64 random(seed);
  std::normal_distribution<double> normal(0, 1);
  std::uniform_real_distribution<double> far(-9, 9);
  std::vector<double> data;
  for (size_t i = 0; i < inliers; ++i) {
    const double base = normal(random);
    data.insert(data.end(), {base, base * 0.5 + normal(random) * 0.3, normal(random) * 2,
                             std::exp(normal(random))});
  }
  for (size_t i = 0; i < outliers; ++i) {
    data.insert(data.end(),
                {far(random), far(random), far(random) * 2, 20 + std::abs(far(random))});
  }
  return data;
}

std::vector<double> Ranks(const std::vector<double>& values) {
  std::vector<size_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return values[a] < values[b]; });
  std::vector<double> ranks(values.size());
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j + 1 < order.size() && values[order[j + 1]] == values[order[i]]) ++j;
    for (size_t k = i; k <= j; ++k) ranks[order[k]] = (static_cast<double>(i + j) / 2.0) + 1;
    i = j + 1;
  }
  return ranks;
}

double SpearmanCorrelation(const std::vector<double>& a, const std::vector<double>& b) {
  const auto ra = Ranks(a), rb = Ranks(b);
  const double n = static_cast<double>(a.size());
  const double mean = (n + 1) / 2;
  double cov = 0, va = 0, vb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    cov += (ra[i] - mean) * (rb[i] - mean);
    va += (ra[i] - mean) * (ra[i] - mean);
    vb += (rb[i] - mean) * (rb[i] - mean);
  }
  return cov / std::sqrt(va * vb);
}

TEST(IsolationForest, AveragePathLengthIsTheBstUnsuccessfulSearchLength) {
  EXPECT_EQ(AveragePathLength(0), 0.0);
  EXPECT_EQ(AveragePathLength(1), 0.0);
  EXPECT_EQ(AveragePathLength(2), 1.0);
  // Values of 2(ln(n−1) + γ) − 2(n−1)/n computed independently in Python.
  EXPECT_NEAR(AveragePathLength(3), 1.207392357589623, 1e-12);
  EXPECT_NEAR(AveragePathLength(10), 3.748880484475505, 1e-12);
  EXPECT_NEAR(AveragePathLength(256), 10.244770920119917, 1e-12);
}

TEST(IsolationForest, PlantedOutliersScoreHighestAndOrdinaryPointsNearOneHalf) {
  const auto data = ClusterWithOutliers(2000, 20, 7);
  const IsolationForest forest(data, 4, {.trees = 100, .subsample = 256, .seed = 1});
  const auto scores = forest.ScoreRows(data);
  ASSERT_EQ(scores.size(), 2020u);
  std::vector<double> sorted = scores;
  std::sort(sorted.begin(), sorted.end(), std::greater<>());
  const double twentieth = sorted[19];
  size_t outliers_in_top = 0;
  for (size_t i = 2000; i < 2020; ++i) outliers_in_top += scores[i] >= twentieth ? 1 : 0;
  EXPECT_GE(outliers_in_top, 18u);
  std::vector<double> inlier_scores(scores.begin(), scores.begin() + 2000);
  std::nth_element(inlier_scores.begin(), inlier_scores.begin() + 1000, inlier_scores.end());
  EXPECT_GT(inlier_scores[1000], 0.35);
  EXPECT_LT(inlier_scores[1000], 0.5);
  for (double s : scores) {
    EXPECT_GT(s, 0.0);
    EXPECT_LE(s, 1.0);
  }
}

TEST(IsolationForest, SameSeedSameScoresOtherSeedOtherForest) {
  const auto data = ClusterWithOutliers(600, 6, 3);
  const auto a = IsolationForest(data, 4, {.seed = 42}).ScoreRows(data);
  const auto b = IsolationForest(data, 4, {.seed = 42}).ScoreRows(data);
  const auto c = IsolationForest(data, 4, {.seed = 43}).ScoreRows(data);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_GT(SpearmanCorrelation(a, c), 0.9);  // another forest, the same ranking to within noise
}

TEST(IsolationForest, RanksRowsLikeSklearn) {
  const char* source_dir = std::getenv("FUTUREIM_SOURCE_DIR");
  ASSERT_NE(source_dir, nullptr) << "run through ctest (FUTUREIM_SOURCE_DIR)";
  const auto data = ClusterWithOutliers(3000, 30, 11);
  std::ostringstream csv;
  csv.precision(17);
  for (size_t offset = 0; offset < data.size(); offset += 4) {
    csv << data[offset] << ',' << data[offset + 1] << ',' << data[offset + 2] << ','
        << data[offset + 3] << '\n';
  }
  // The data goes through a file: a reference that fails early must not kill
  // the test with SIGPIPE. Debian's interpreter, where python3-sklearn lives.
  const testing::TempDir dir("iforest-reference");
  const auto data_path = dir.path() / "data.csv";
  std::ofstream(data_path) << csv.str();
  const auto reference = testing::RunProcess(
      {"/usr/bin/python3", std::string(source_dir) + "/tests/unit/ml/isolation_forest_reference.py",
       data_path.string(), "0"});
  ASSERT_EQ(reference.exit_code, 0) << reference.err;
  std::vector<double> expected;
  std::istringstream lines(reference.out);
  for (double value; lines >> value;) expected.push_back(value);
  ASSERT_EQ(expected.size(), 3030u);

  const auto actual =
      IsolationForest(data, 4, {.trees = 100, .subsample = 256, .seed = 0}).ScoreRows(data);
  const double rho = SpearmanCorrelation(actual, expected);
  EXPECT_GT(rho, 0.95) << "Spearman correlation with sklearn";
  // The same scale, not only the same order: both are 2^(−E[h]/c(256)).
  double mean_difference = 0;
  for (size_t i = 0; i < actual.size(); ++i) mean_difference += std::abs(actual[i] - expected[i]);
  EXPECT_LT(mean_difference / static_cast<double>(actual.size()), 0.02);
  std::cout << "Spearman rho with sklearn " << rho << ", mean |score difference| "
            << mean_difference / static_cast<double>(actual.size()) << '\n';
}

TEST(IsolationForest, BadInputIsRefusedWithAClearError) {
  const std::vector<double> data = {1, 2, 3, 4, 5, 6};
  EXPECT_THROW(IsolationForest(data, 4, {}), std::invalid_argument);  // not a multiple
  EXPECT_THROW(IsolationForest({}, 2, {}), std::invalid_argument);
  EXPECT_THROW(IsolationForest(data, 0, {}), std::invalid_argument);
  EXPECT_THROW(IsolationForest(data, 2, {.trees = 0}), std::invalid_argument);
  const std::vector<double> with_nan = {1, std::numeric_limits<double>::quiet_NaN()};
  EXPECT_THROW(IsolationForest(with_nan, 2, {}), std::invalid_argument);
  const IsolationForest forest(data, 2, {});
  const std::vector<double> wrong_width = {1, 2, 3};
  EXPECT_THROW(forest.Score(wrong_width), std::invalid_argument);
  EXPECT_THROW(forest.ScoreRows(wrong_width), std::invalid_argument);
}

TEST(IsolationForest, ConstantDataScoresEveryRowAlike) {
  const std::vector<double> data(200, 3.5);
  const IsolationForest forest(data, 2, {.seed = 5});
  const auto scores = forest.ScoreRows(data);
  for (double s : scores) EXPECT_DOUBLE_EQ(s, scores.front());
  const std::vector<double> one_row = {1, 2};
  EXPECT_DOUBLE_EQ(IsolationForest(one_row, 2, {}).Score(one_row), 0.5);
}

}  // namespace
}  // namespace futureim::ml
