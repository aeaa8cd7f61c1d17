#include "ml/customer_lifetime_value.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "core/error.h"
#include "ml/nelder_mead.h"

namespace futureim::ml {
namespace {

constexpr size_t kMinimumCustomers = 10;

double LogSumExp(double x, double y) {
  const double m = std::max(x, y);
  return m + std::log(std::exp(x - m) + std::exp(y - m));
}

// Several starting points guard against the flat regions of these likelihoods.
Eigen::VectorXd FitLogParameters(const std::function<double(const Eigen::VectorXd&)>& negative_ll,
                                 const std::vector<Eigen::VectorXd>& starts) {
  const auto objective = [&](const std::vector<double>& p) {
    return negative_ll(
        Eigen::Map<const Eigen::VectorXd>(p.data(), static_cast<Eigen::Index>(p.size())));
  };
  constexpr int kMaxEvaluations = 8000;
  constexpr double kTolerance = 1e-10;
  double best_value = std::numeric_limits<double>::infinity();
  std::vector<double> best;
  for (const auto& start : starts) {
    std::vector<double> point(start.data(), start.data() + start.size());
    const std::vector<double> step(point.size(), 0.5);
    auto result = MinimizeNelderMead(objective, point, step, kMaxEvaluations, kTolerance);
    // A restart from the optimum polishes a simplex that collapsed early.
    result = MinimizeNelderMead(objective, result.argmin, step, kMaxEvaluations, kTolerance);
    if (result.minimum < best_value) {
      best_value = result.minimum;
      best = result.argmin;
    }
  }
  if (!std::isfinite(best_value)) {
    throw core::Error("CLV model: the likelihood could not be evaluated at any start");
  }
  return Eigen::Map<const Eigen::VectorXd>(best.data(), static_cast<Eigen::Index>(best.size()));
}

}  // namespace

double Hypergeometric2F1(double a, double b, double c, double z) {
  if (!(z >= 0 && z < 1)) throw std::logic_error("Hypergeometric2F1: needs 0 <= z < 1");
  double term = 1, sum = 1;
  for (int n = 0; n < 100000; ++n) {
    term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
    sum += term;
    if (std::abs(term) < 1e-14 * std::abs(sum)) break;
  }
  return sum;
}

double BetaGeometricNbdModel::LogLikelihood(const PurchaseHistory& h) const {
  const double x = h.repeat_purchases;
  const double a1 = std::lgamma(r + x) - std::lgamma(r) + r * std::log(alpha);
  const double a2 =
      std::lgamma(a + b) + std::lgamma(b + x) - std::lgamma(b) - std::lgamma(a + b + x);
  const double a3 = -(r + x) * std::log(alpha + h.age);
  if (x <= 0) return a1 + a2 + a3;
  const double a4 = std::log(a) - std::log(b + x - 1) - (r + x) * std::log(alpha + h.recency);
  return a1 + a2 + LogSumExp(a3, a4);
}

BetaGeometricNbdModel BetaGeometricNbdModel::Fit(const std::vector<PurchaseHistory>& customers) {
  if (customers.size() < kMinimumCustomers) {
    throw core::Error("BG/NBD: needs at least " + std::to_string(kMinimumCustomers) +
                      " customers, got " + std::to_string(customers.size()));
  }
  bool any_repeat = false;
  double mean_age = 0;
  for (const auto& h : customers) {
    if (!(h.repeat_purchases >= 0 && h.recency >= 0 && h.age >= h.recency &&
          std::isfinite(h.age))) {
      throw core::Error("BG/NBD: a purchase history needs 0 <= recency <= age and x >= 0");
    }
    any_repeat = any_repeat || h.repeat_purchases > 0;
    mean_age += h.age / static_cast<double>(customers.size());
  }
  if (!any_repeat) throw core::Error("BG/NBD: no customer made a repeat purchase");
  const auto negative_ll = [&](const Eigen::VectorXd& theta) {
    const BetaGeometricNbdModel model{std::exp(theta[0]), std::exp(theta[1]), std::exp(theta[2]),
                                      std::exp(theta[3])};
    double total = 0;
    for (const auto& h : customers) total += model.LogLikelihood(h);
    return -total;
  };
  const double log_scale = std::log(std::max(mean_age, 1.0));
  const auto theta = FitLogParameters(negative_ll, {Eigen::Vector4d(0, log_scale, 0, 0),
                                                    Eigen::Vector4d(-1, log_scale - 1, -1, 1)});
  BetaGeometricNbdModel model{std::exp(theta[0]), std::exp(theta[1]), std::exp(theta[2]),
                              std::exp(theta[3])};
  model.log_likelihood = -negative_ll(theta);
  return model;
}

double BetaGeometricNbdModel::ExpectedPurchases(const PurchaseHistory& h, double horizon) const {
  const double x = h.repeat_purchases;
  const double z = horizon / (alpha + h.age + horizon);
  const double numerator = (a + b + x - 1) / (a - 1) *
                           (1 - std::pow((alpha + h.age) / (alpha + h.age + horizon), r + x) *
                                    Hypergeometric2F1(r + x, b + x, a + b + x - 1, z));
  const double denominator =
      1 + (x > 0 ? a / (b + x - 1) * std::pow((alpha + h.age) / (alpha + h.recency), r + x) : 0);
  const double value = numerator / denominator;
  // a ≤ 1 makes the closed form diverge; fall back to the rate bound r/α per unit time.
  return std::isfinite(value) && value >= 0 ? value : (r + x) / (alpha + h.age) * horizon;
}

double BetaGeometricNbdModel::ProbabilityAlive(const PurchaseHistory& h) const {
  const double x = h.repeat_purchases;
  if (x <= 0) return 1.0;
  return 1 / (1 + a / (b + x - 1) * std::pow((alpha + h.age) / (alpha + h.recency), r + x));
}

double GammaGammaModel::LogLikelihood(const SpendHistory& s) const {
  const double px = p * s.purchases;
  return std::lgamma(px + q) - std::lgamma(px) - std::lgamma(q) + q * std::log(gamma) +
         (px - 1) * std::log(s.mean_value) + px * std::log(s.purchases) -
         (px + q) * std::log(s.purchases * s.mean_value + gamma);
}

GammaGammaModel GammaGammaModel::Fit(const std::vector<SpendHistory>& customers) {
  if (customers.size() < kMinimumCustomers) {
    throw core::Error("Gamma-Gamma: needs at least " + std::to_string(kMinimumCustomers) +
                      " customers, got " + std::to_string(customers.size()));
  }
  double mean_value = 0;
  for (const auto& s : customers) {
    if (!(s.purchases >= 1 && s.mean_value > 0 && std::isfinite(s.mean_value))) {
      throw core::Error(
          "Gamma-Gamma: every customer needs >= 1 purchase and a positive mean value");
    }
    mean_value += s.mean_value / static_cast<double>(customers.size());
  }
  const auto negative_ll = [&](const Eigen::VectorXd& theta) {
    const GammaGammaModel model{std::exp(theta[0]), std::exp(theta[1]), std::exp(theta[2])};
    double total = 0;
    for (const auto& s : customers) total += model.LogLikelihood(s);
    return -total;
  };
  const double log_mean = std::log(mean_value);
  const auto theta = FitLogParameters(
      negative_ll, {Eigen::Vector3d(0, 1, log_mean + 1), Eigen::Vector3d(1, 2, log_mean + 2)});
  GammaGammaModel model{std::exp(theta[0]), std::exp(theta[1]), std::exp(theta[2])};
  model.log_likelihood = -negative_ll(theta);
  return model;
}

double GammaGammaModel::ExpectedSpend(const SpendHistory& s) const {
  if (q <= 1) return s.mean_value;  // the population mean is infinite; keep the customer's own
  return p * (gamma + s.purchases * s.mean_value) / (p * s.purchases + q - 1);
}

}  // namespace futureim::ml
