#include "ml/kmeans.h"

#include <random>

#include <gtest/gtest.h>

#include "core/error.h"

namespace futureim::ml {
namespace {

// Three well-separated Gaussian blobs in 2-D with their true labels.
std::pair<Eigen::MatrixXd, std::vector<int>> Blobs(int per_blob, uint64_t seed) {
  std::mt19937_64 random(seed);
  std::normal_distribution<double> noise(0, 0.5);
  const double centres[3][2] = {{0, 0}, {6, 0}, {3, 5}};
  Eigen::MatrixXd points(3 * per_blob, 2);
  std::vector<int> labels;
  for (int c = 0; c < 3; ++c) {
    for (int i = 0; i < per_blob; ++i) {
      points.row(c * per_blob + i) << centres[c][0] + noise(random), centres[c][1] + noise(random);
      labels.push_back(c);
    }
  }
  return {points, labels};
}

TEST(KMeansTest, RecoversSeparatedClustersAndChoosesK) {
  const auto [points, truth] = Blobs(100, 1);
  const auto result = FitKMeansAutoK(points, 2, 8, {});
  EXPECT_EQ(result.chosen_k, 3);
  EXPECT_EQ(result.silhouette_k, 3);
  EXPECT_DOUBLE_EQ(AdjustedRandIndex(result.model.labels, truth), 1.0);
  EXPECT_EQ(result.candidates.size(), 7u);
}

TEST(KMeansTest, SameSeedSameLabelsAndOtherSeedsAgree) {
  const auto [points, truth] = Blobs(80, 2);
  KMeansOptions options;
  const auto a = FitKMeans(points, 3, options);
  const auto b = FitKMeans(points, 3, options);
  EXPECT_EQ(a.labels, b.labels);
  options.seed = 99;
  const auto c = FitKMeans(points, 3, options);
  EXPECT_GE(AdjustedRandIndex(a.labels, c.labels), 0.99);
  EXPECT_NEAR(a.inertia, c.inertia, 1e-9 * a.inertia);
}

TEST(KMeansTest, SilhouetteMatchesHandComputedValue) {
  Eigen::MatrixXd points(4, 1);
  points << 0, 1, 10, 11;
  // a = 1 for every point; b = 10.5, 9.5, 9.5, 10.5.
  const double expected = (2 * (1 - 1 / 10.5) + 2 * (1 - 1 / 9.5)) / 4;
  EXPECT_NEAR(SilhouetteScore(points, {0, 0, 1, 1}), expected, 1e-12);
}

TEST(KMeansTest, AdjustedRandIndexMatchesReferenceValues) {
  // sklearn.metrics.adjusted_rand_score([0,0,1,1],[0,0,1,2]) = 0.5714285714285715
  EXPECT_NEAR(AdjustedRandIndex({0, 0, 1, 1}, {0, 0, 1, 2}), 0.5714285714285715, 1e-12);
  EXPECT_DOUBLE_EQ(AdjustedRandIndex({0, 0, 1, 1}, {1, 1, 0, 0}), 1.0);
  // adjusted_rand_score([0,0,1,1],[0,1,0,1]) = -0.5
  EXPECT_NEAR(AdjustedRandIndex({0, 0, 1, 1}, {0, 1, 0, 1}), -0.5, 1e-12);
}

TEST(KMeansTest, StandardScalingCentresAndScales) {
  Eigen::MatrixXd points(3, 2);
  points << 1, 5, 2, 5, 3, 5;
  const auto scaling = StandardScaling::Fit(points);
  const Eigen::MatrixXd scaled = scaling.Apply(points);
  EXPECT_NEAR(scaled.col(0).mean(), 0, 1e-12);
  EXPECT_NEAR(scaled.col(0).squaredNorm() / 3, 1, 1e-12);
  EXPECT_NEAR(scaled.col(1).cwiseAbs().maxCoeff(), 0, 1e-12);  // constant column: no NaN
}

TEST(KMeansTest, BadInputIsAClearError) {
  Eigen::MatrixXd points(3, 1);
  points << 1, 2, 3;
  EXPECT_THROW(FitKMeans(points, 4, {}), core::Error);
  EXPECT_THROW(FitKMeans(points, 0, {}), core::Error);
  EXPECT_THROW(FitKMeansAutoK(points.topRows(2), 2, 5, {}), core::Error);
  points(1, 0) = std::nan("");
  EXPECT_THROW(FitKMeans(points, 2, {}), core::Error);
}

TEST(KMeansTest, IdenticalPointsDoNotBreakSeeding) {
  const Eigen::MatrixXd points = Eigen::MatrixXd::Ones(20, 2);
  const auto model = FitKMeans(points, 3, {});
  EXPECT_EQ(model.inertia, 0);
  EXPECT_TRUE(model.centroids.allFinite());
}

}  // namespace
}  // namespace futureim::ml
