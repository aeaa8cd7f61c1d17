#include "ml/customer_lifetime_value.h"

#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "core/error.h"

namespace futureim::ml {
namespace {

// Draws customers from the BG/NBD process itself: λ ~ Gamma(r, α), p ~ Beta(a, b);
// purchases are Poisson(λ) while alive, and after each purchase the customer
// drops out with probability p.
std::vector<PurchaseHistory> SimulateBgNbd(double r, double alpha, double a, double b, int n,
                                           double window, uint64_t seed) {
  std::mt19937_64 random(seed);
  std::gamma_distribution<double> rate(r, 1 / alpha);
  std::gamma_distribution<double> beta_a(a, 1), beta_b(b, 1);
  std::uniform_real_distribution<double> unit(0, 1);
  std::vector<PurchaseHistory> customers;
  for (int i = 0; i < n; ++i) {
    const double lambda = rate(random);
    const double ga = beta_a(random), gb = beta_b(random);
    const double p = ga / (ga + gb);
    PurchaseHistory h;
    h.age = window;
    double t = 0;
    while (true) {
      if (t > 0 && unit(random) < p) break;  // drops out after a repeat purchase
      std::exponential_distribution<double> gap(lambda);
      t += gap(random);
      if (t > window) break;
      h.repeat_purchases += 1;
      h.recency = t;
    }
    customers.push_back(h);
  }
  return customers;
}

TEST(CustomerLifetimeValueTest, HypergeometricMatchesClosedForm) {
  for (const double z : {0.1, 0.5, 0.9}) {
    EXPECT_NEAR(Hypergeometric2F1(1, 1, 2, z), -std::log(1 - z) / z, 1e-10);
  }
  EXPECT_NEAR(Hypergeometric2F1(0.5, 1, 1.5, 0.25), std::atanh(0.5) / 0.5, 1e-10);
}

TEST(CustomerLifetimeValueTest, BgNbdRecoversSimulatedParameters) {
  // CDNOW-like parameters (Fader, Hardie & Lee 2005: r .243, α 4.41, a .793, b 2.43), weeks.
  const auto customers = SimulateBgNbd(0.243, 4.41, 0.793, 2.43, 20000, 39, 5);
  const auto model = BetaGeometricNbdModel::Fit(customers);
  EXPECT_NEAR(model.r, 0.243, 0.05);
  EXPECT_NEAR(model.alpha, 4.41, 1.2);
  EXPECT_NEAR(model.a, 0.793, 0.35);
  EXPECT_NEAR(model.b, 2.43, 1.4);
  const PurchaseHistory active{5, 38, 39}, lapsed{5, 5, 39};
  EXPECT_GT(model.ExpectedPurchases(active, 52), model.ExpectedPurchases(lapsed, 52));
  EXPECT_GT(model.ProbabilityAlive(active), 0.8);
  EXPECT_LT(model.ProbabilityAlive(lapsed), model.ProbabilityAlive(active));
  EXPECT_DOUBLE_EQ(model.ProbabilityAlive({0, 0, 39}), 1.0);
  for (const auto& h : customers) {
    ASSERT_TRUE(std::isfinite(model.ExpectedPurchases(h, 52)));
  }
}

TEST(CustomerLifetimeValueTest, BgNbdLikelihoodMatchesHandComputation) {
  const BetaGeometricNbdModel model{0.243, 4.414, 0.793, 2.426};
  // x = 0: log[Γ(r)α^r/Γ(r)·(α+T)^-r] + log B(a, b+0)/B(a, b) = r log(α/(α+T)).
  EXPECT_NEAR(model.LogLikelihood({0, 0, 30}), 0.243 * std::log(4.414 / 34.414), 1e-12);
}

TEST(CustomerLifetimeValueTest, GammaGammaRecoversSimulatedParameters) {
  // CDNOW values (Fader, Hardie & Lee 2005): p 6.25, q 3.74, γ 15.44.
  std::mt19937_64 random(3);
  std::gamma_distribution<double> nu_draw(3.74, 1 / 15.44);
  std::poisson_distribution<int> count(3);
  std::vector<SpendHistory> customers;
  for (int i = 0; i < 20000; ++i) {
    const double nu = nu_draw(random);
    const int x = 1 + count(random);
    std::gamma_distribution<double> spend(6.25, 1 / nu);
    double total = 0;
    for (int j = 0; j < x; ++j) total += spend(random);
    customers.push_back({static_cast<double>(x), total / x});
  }
  const auto model = GammaGammaModel::Fit(customers);
  EXPECT_NEAR(model.p, 6.25, 0.6);
  EXPECT_NEAR(model.q, 3.74, 0.5);
  EXPECT_NEAR(model.gamma, 15.44, 3);
  // More purchases at the same mean: the estimate moves towards the customer's own mean.
  const double population = model.p * model.gamma / (model.q - 1);
  const double one = model.ExpectedSpend({1, 100}), many = model.ExpectedSpend({20, 100});
  EXPECT_GT(std::abs(one - 100), std::abs(many - 100));
  EXPECT_LT(std::abs(many - 100), std::abs(population - 100));
}

TEST(CustomerLifetimeValueTest, BadInputIsAClearError) {
  std::vector<PurchaseHistory> few(5, PurchaseHistory{1, 2, 3});
  EXPECT_THROW(BetaGeometricNbdModel::Fit(few), core::Error);
  std::vector<PurchaseHistory> no_repeat(20, PurchaseHistory{0, 0, 3});
  EXPECT_THROW(BetaGeometricNbdModel::Fit(no_repeat), core::Error);
  std::vector<PurchaseHistory> inverted(20, PurchaseHistory{1, 5, 3});
  EXPECT_THROW(BetaGeometricNbdModel::Fit(inverted), core::Error);
  std::vector<SpendHistory> zero(20, SpendHistory{1, 0});
  EXPECT_THROW(GammaGammaModel::Fit(zero), core::Error);
}

}  // namespace
}  // namespace futureim::ml
