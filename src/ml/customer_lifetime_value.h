#pragma once

#include <vector>

namespace futureim::ml {

// Probabilistic customer-lifetime-value models (Fader, Hardie & Lee):
// BG/NBD for how many purchases a customer will make, Gamma-Gamma for how
// much each will be worth. Both are fitted by maximum likelihood (Nelder–Mead
// on log parameters, so every parameter stays positive).
//
// A customer's history, in one time unit (days here) measured from the first
// purchase: `repeat_purchases` = purchases after the first (x), `recency` =
// time of the last purchase (t_x, 0 when x = 0), `age` = time from the first
// purchase to the end of the observation window (T ≥ t_x).
struct PurchaseHistory {
  double repeat_purchases = 0;
  double recency = 0;
  double age = 0;
};

struct BetaGeometricNbdModel {
  double r = 1, alpha = 1, a = 1, b = 1;
  double log_likelihood = 0;

  // Fits the four parameters. Throws core::Error for fewer than 10 customers,
  // a history with t_x > T or negative values, or when no customer repeats
  // (the model is not identified).
  static BetaGeometricNbdModel Fit(const std::vector<PurchaseHistory>& customers);

  // Expected purchases in the next `horizon` time units (conditional expectation).
  double ExpectedPurchases(const PurchaseHistory& customer, double horizon) const;
  // Probability the customer is still active at the end of the window.
  double ProbabilityAlive(const PurchaseHistory& customer) const;
  double LogLikelihood(const PurchaseHistory& customer) const;
};

// Spend per purchase: `purchases` ≥ 1 observed purchases with mean value `mean_value` > 0.
struct SpendHistory {
  double purchases = 0;
  double mean_value = 0;
};

struct GammaGammaModel {
  double p = 1, q = 1, gamma = 1;
  double log_likelihood = 0;

  // Throws core::Error for fewer than 10 customers or a non-positive value.
  static GammaGammaModel Fit(const std::vector<SpendHistory>& customers);
  // Expected value of a future purchase (shrinks the customer's mean towards the population's).
  double ExpectedSpend(const SpendHistory& customer) const;
  double LogLikelihood(const SpendHistory& customer) const;
};

// Gauss's hypergeometric function 2F1(a, b; c; z) for 0 ≤ z < 1 by its
// series (the BG/NBD conditional expectation needs it).
double Hypergeometric2F1(double a, double b, double c, double z);

}  // namespace futureim::ml
