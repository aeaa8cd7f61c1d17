#include "ml/boosted_trees.h"

#include <cmath>
#include <random>
#include <stdexcept>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "ml/accuracy_metrics.h"

namespace futureim::ml {
namespace {

// y = 3·x0 − 2·x1 + noise; x2 is noise the model should barely use.
struct Data {
  FeatureMatrix x;
  std::vector<float> y;
};

Data LinearData(size_t rows, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  Data data{FeatureMatrix(rows, 3), {}};
  for (size_t i = 0; i < rows; ++i) {
    for (size_t c = 0; c < 3; ++c) data.x.At(i, c) = normal(rng);
    data.y.push_back(3 * data.x.At(i, 0) - 2 * data.x.At(i, 1) + 0.1f * normal(rng));
  }
  return data;
}

TEST(BoostedTreesTest, RegressionLearnsAndGeneralises) {
  const Data train = LinearData(2000, 1);
  const Data test = LinearData(500, 2);
  const auto model = BoostedTrees::Train(train.x, train.y, {});
  const auto predicted = model.Predict(test.x);
  const std::vector<double> actual(test.y.begin(), test.y.end());
  // The target's standard deviation is about 3.6; a good fit is far below it.
  EXPECT_LT(RootMeanSquaredError(actual, predicted), 0.6);
}

TEST(BoostedTreesTest, ClassifierGivesProbabilitiesThatRank) {
  const Data train = LinearData(2000, 3);
  const Data test = LinearData(500, 4);
  std::vector<float> labels;
  for (float y : train.y) labels.push_back(y > 0 ? 1 : 0);
  BoostedTreesParams params;
  params.objective = BoostedTreesObjective::kBinaryLogistic;
  params.rounds = 100;
  const auto model = BoostedTrees::Train(train.x, labels, params);
  const auto probability = model.Predict(test.x);
  std::vector<bool> truth;
  for (float y : test.y) truth.push_back(y > 0);
  for (double p : probability) {
    ASSERT_GE(p, 0);
    ASSERT_LE(p, 1);
  }
  EXPECT_GT(*RocAuc(truth, probability), 0.97);
}

TEST(BoostedTreesTest, SameSeedSameModelAndSaveLoadRoundTrips) {
  const Data train = LinearData(500, 5);
  BoostedTreesParams params;
  params.subsample = 0.7;
  params.seed = 42;
  params.rounds = 30;
  const auto a = BoostedTrees::Train(train.x, train.y, params);
  const auto b = BoostedTrees::Train(train.x, train.y, params);
  EXPECT_EQ(a.Predict(train.x), b.Predict(train.x));
  const auto loaded = BoostedTrees::Load(a.Save());
  EXPECT_EQ(loaded.Columns(), 3u);
  const auto before = a.Predict(train.x);
  const auto after = loaded.Predict(train.x);
  for (size_t i = 0; i < before.size(); ++i) EXPECT_NEAR(before[i], after[i], 1e-5);
}

TEST(BoostedTreesTest, ContributionsSumToTheMarginAndNameTheRealFeatures) {
  const Data train = LinearData(1000, 6);
  BoostedTreesParams params;
  params.rounds = 50;
  const auto model = BoostedTrees::Train(train.x, train.y, params);
  const auto contributions = model.Contributions(train.x);
  ASSERT_EQ(contributions.Columns(), 4u);
  const auto predicted = model.Predict(train.x);
  double weight[3] = {0, 0, 0};
  for (size_t row = 0; row < 50; ++row) {
    double sum = 0;
    for (size_t c = 0; c < 4; ++c) sum += contributions.At(row, c);
    EXPECT_NEAR(sum, predicted[row], 1e-3);
    for (size_t c = 0; c < 3; ++c) weight[c] += std::abs(contributions.At(row, c));
  }
  EXPECT_GT(weight[0], 5 * weight[2]);
  EXPECT_GT(weight[1], 5 * weight[2]);
}

TEST(BoostedTreesTest, MissingValuesAreAllowed) {
  Data train = LinearData(500, 7);
  for (size_t i = 0; i < 500; i += 5) train.x.At(i, 2) = NAN;
  const auto model = BoostedTrees::Train(train.x, train.y, {});
  for (double p : model.Predict(train.x)) ASSERT_TRUE(std::isfinite(p));
}

TEST(BoostedTreesTest, PredictionsFromSeveralThreads) {
  const Data train = LinearData(500, 8);
  const auto model = BoostedTrees::Train(train.x, train.y, {});
  const auto expected = model.Predict(train.x);
  std::vector<std::thread> threads;
  std::vector<bool> same(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] { same[t] = model.Predict(train.x) == expected; });
  }
  for (auto& thread : threads) thread.join();
  for (bool s : same) EXPECT_TRUE(s);
}

TEST(BoostedTreesTest, BadInputIsAClearError) {
  const Data train = LinearData(10, 9);
  EXPECT_THROW(BoostedTrees::Train(train.x, std::vector<float>(9, 0), {}), std::invalid_argument);
  std::vector<float> bad = train.y;
  bad[0] = NAN;
  EXPECT_THROW(BoostedTrees::Train(train.x, bad, {}), std::invalid_argument);
  BoostedTreesParams binary;
  binary.objective = BoostedTreesObjective::kBinaryLogistic;
  EXPECT_THROW(BoostedTrees::Train(train.x, std::vector<float>(10, 2), binary),
               std::invalid_argument);
  const auto model = BoostedTrees::Train(train.x, train.y, {});
  EXPECT_THROW(model.Predict(FeatureMatrix(1, 2)), std::invalid_argument);
  EXPECT_THROW(BoostedTrees::Load("not a model"), std::runtime_error);
}

}  // namespace
}  // namespace futureim::ml
