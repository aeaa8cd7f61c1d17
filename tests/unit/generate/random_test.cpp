// The simulator's PRNG and distributions: determinism (pinned outputs, so a
// change of algorithm is caught) and the moments of every distribution.

#include "generate/random.h"

#include <cmath>
#include <regex>
#include <set>

#include <gtest/gtest.h>

namespace futureim::generate {
namespace {

TEST(RandomTest, SameSeedSameStreamAndPinnedValues) {
  Random a(12345), b(12345), c(12346);
  bool any_difference = false;
  for (int i = 0; i < 1000; ++i) {
    const uint64_t x = a.NextU64();
    EXPECT_EQ(x, b.NextU64());
    any_difference |= x != c.NextU64();
  }
  EXPECT_TRUE(any_difference);
  // Pinned: xoshiro256** seeded by splitmix64(0). A different value means
  // every generated store changed — which must be deliberate.
  Random zero(0);
  EXPECT_EQ(zero.NextU64(), 0x99ec5f36cb75f2b4ULL);
  EXPECT_EQ(zero.NextU64(), 0xbf6e1f784956452aULL);
}

TEST(RandomTest, ForkIsAPureFunctionOfSeedAndLabel) {
  Random root(7);
  Random f1 = root.Fork("orders");
  root.NextU64();  // forking does not depend on draws made since
  Random f2 = root.Fork("orders");
  Random other = root.Fork("reviews");
  Random indexed = root.Fork("orders", 1);
  const uint64_t first = f1.NextU64();
  EXPECT_EQ(first, f2.NextU64());
  EXPECT_NE(first, other.NextU64());
  EXPECT_NE(first, indexed.NextU64());
}

TEST(RandomTest, UniformAndUniformIntStayInRangeWithTheRightMoments) {
  Random random(1);
  const int n = 200000;
  double sum = 0, sum_sq = 0;
  std::vector<int> counts(6, 0);
  for (int i = 0; i < n; ++i) {
    const double u = random.Uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
    sum_sq += u * u;
    const int64_t k = random.UniformInt(1, 6);
    ASSERT_GE(k, 1);
    ASSERT_LE(k, 6);
    ++counts[static_cast<size_t>(k - 1)];
  }
  EXPECT_NEAR(sum / n, 0.5, 0.005);
  EXPECT_NEAR(sum_sq / n - (sum / n) * (sum / n), 1.0 / 12, 0.002);
  for (int c : counts) EXPECT_NEAR(c / static_cast<double>(n), 1.0 / 6, 0.005);
  EXPECT_EQ(random.UniformInt(5, 5), 5);
}

TEST(RandomTest, NormalPoissonExponentialGeometricMoments) {
  Random random(2);
  const int n = 200000;
  auto moments = [&](auto draw) {
    double sum = 0, sum_sq = 0;
    for (int i = 0; i < n; ++i) {
      const double x = draw();
      sum += x;
      sum_sq += x * x;
    }
    const double mean = sum / n;
    return std::pair{mean, sum_sq / n - mean * mean};
  };
  auto [normal_mean, normal_var] = moments([&] { return random.Normal(3.0, 2.0); });
  EXPECT_NEAR(normal_mean, 3.0, 0.02);
  EXPECT_NEAR(normal_var, 4.0, 0.06);
  auto [small_mean, small_var] = moments([&] { return static_cast<double>(random.Poisson(3.5)); });
  EXPECT_NEAR(small_mean, 3.5, 0.03);
  EXPECT_NEAR(small_var, 3.5, 0.06);
  auto [large_mean, large_var] = moments([&] { return static_cast<double>(random.Poisson(80)); });
  EXPECT_NEAR(large_mean, 80, 0.2);
  EXPECT_NEAR(large_var, 80, 2.0);
  auto [exp_mean, exp_var] = moments([&] { return random.Exponential(0.5); });
  EXPECT_NEAR(exp_mean, 2.0, 0.03);
  EXPECT_NEAR(exp_var, 4.0, 0.15);
  auto [geo_mean, geo_var] = moments([&] { return static_cast<double>(random.Geometric(0.25)); });
  EXPECT_NEAR(geo_mean, 3.0, 0.05);  // (1-p)/p
  (void)geo_var;
  EXPECT_EQ(random.Poisson(0), 0);
}

TEST(RandomTest, AliasTableAndWeightedIndexFollowTheWeights) {
  Random random(3);
  const std::vector<double> weights = {1, 0, 3, 6};
  AliasTable table(weights);
  std::vector<int> alias_counts(4, 0), linear_counts(4, 0);
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    ++alias_counts[table.Sample(random)];
    ++linear_counts[random.WeightedIndex(weights)];
  }
  for (size_t i = 0; i < weights.size(); ++i) {
    EXPECT_NEAR(alias_counts[i] / static_cast<double>(n), weights[i] / 10, 0.005) << i;
    EXPECT_NEAR(linear_counts[i] / static_cast<double>(n), weights[i] / 10, 0.005) << i;
  }
  EXPECT_EQ(alias_counts[1], 0);
}

TEST(RandomTest, UuidsAreVersion7TimeOrderedAndUnique) {
  Random random(4);
  const std::regex pattern("^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  std::set<std::string> seen;
  std::string previous;
  for (int i = 0; i < 50000; ++i) {
    const std::string id = random.Uuid(1700000000000LL + i * 1000LL);
    ASSERT_TRUE(std::regex_match(id, pattern)) << id;
    ASSERT_TRUE(seen.insert(id).second);
    ASSERT_LT(previous, id);  // later milliseconds sort later
    previous = id;
  }
  // Same millisecond: still unique.
  EXPECT_NE(random.Uuid(1), random.Uuid(1));
}

}  // namespace
}  // namespace futureim::generate
