#include "ml/arima.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>
#include <set>
#include <stdexcept>
#include <tuple>

#include <Eigen/Dense>
#include <fmt/format.h>

#include "ml/nelder_mead.h"
#include "ml/series_trend.h"

namespace futureim::ml {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
constexpr int kMaxP = 3, kMaxQ = 3, kMaxSeasonalP = 1, kMaxSeasonalQ = 1;

std::vector<double> Multiply(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> out(a.size() + b.size() - 1, 0.0);
  for (size_t i = 0; i < a.size(); ++i) {
    for (size_t j = 0; j < b.size(); ++j) out[i + j] += a[i] * b[j];
  }
  return out;
}

// 1 − Σ c_i B^(i·stride) (sign −1, AR) or 1 + Σ c_i B^(i·stride) (sign +1, MA).
std::vector<double> LagPolynomial(const std::vector<double>& coefficients, int stride,
                                  double sign) {
  std::vector<double> out(coefficients.size() * static_cast<size_t>(stride) + 1, 0.0);
  out[0] = 1.0;
  for (size_t i = 0; i < coefficients.size(); ++i)
    out[(i + 1) * static_cast<size_t>(stride)] = sign * coefficients[i];
  return out;
}

// The roots of 1 + Σ c_i z^i lie outside the unit circle iff the companion
// matrix's eigenvalues lie inside it.
bool RootsOutsideUnitCircle(const std::vector<double>& coefficients, double sign) {
  const int k = static_cast<int>(coefficients.size());
  if (k == 0) return true;
  Eigen::MatrixXd companion = Eigen::MatrixXd::Zero(k, k);
  for (int i = 0; i < k; ++i) companion(0, i) = -sign * coefficients[static_cast<size_t>(i)];
  for (int i = 1; i < k; ++i) companion(i, i - 1) = 1.0;
  const Eigen::VectorXcd eigenvalues = companion.eigenvalues();
  for (int i = 0; i < k; ++i) {
    if (std::abs(eigenvalues(i)) >= 0.999) return false;
  }
  return true;
}

std::vector<double> Difference(const std::vector<double>& y, int d, int seasonal_d, int m) {
  std::vector<double> w = y;
  for (int i = 0; i < seasonal_d; ++i) {
    std::vector<double> next;
    for (size_t t = static_cast<size_t>(m); t < w.size(); ++t)
      next.push_back(w[t] - w[t - static_cast<size_t>(m)]);
    w = std::move(next);
  }
  for (int i = 0; i < d; ++i) {
    std::vector<double> next;
    for (size_t t = 1; t < w.size(); ++t) next.push_back(w[t] - w[t - 1]);
    w = std::move(next);
  }
  return w;
}

struct Coefficients {
  std::vector<double> ar, ma, seasonal_ar, seasonal_ma;
  double mean = 0.0;
};

Coefficients Decode(const std::vector<double>& x, const ArimaOrder& order) {
  Coefficients c;
  size_t i = 0;
  for (int k = 0; k < order.p; ++k) c.ar.push_back(x[i++]);
  for (int k = 0; k < order.q; ++k) c.ma.push_back(x[i++]);
  for (int k = 0; k < order.seasonal_p; ++k) c.seasonal_ar.push_back(x[i++]);
  for (int k = 0; k < order.seasonal_q; ++k) c.seasonal_ma.push_back(x[i++]);
  if (order.constant) c.mean = x[i++];
  return c;
}

struct Expanded {
  std::vector<double> ar;  // a_i: w_t − μ = Σ a_i (w_{t−i} − μ) + e_t + Σ b_j e_{t−j}
  std::vector<double> ma;  // b_j
};

Expanded Expand(const Coefficients& c, int m) {
  const std::vector<double> ar =
      Multiply(LagPolynomial(c.ar, 1, -1.0), LagPolynomial(c.seasonal_ar, m, -1.0));
  const std::vector<double> ma =
      Multiply(LagPolynomial(c.ma, 1, 1.0), LagPolynomial(c.seasonal_ma, m, 1.0));
  Expanded e;
  for (size_t i = 1; i < ar.size(); ++i) e.ar.push_back(-ar[i]);
  for (size_t j = 1; j < ma.size(); ++j) e.ma.push_back(ma[j]);
  return e;
}

// Conditional residuals: the first |ar| values of w start the recursion and
// the errors before them are taken as zero.
double ConditionalSumOfSquares(const std::vector<double>& w, const Expanded& model, double mean,
                               std::vector<double>* residuals) {
  const size_t start = model.ar.size();
  std::vector<double> e(w.size(), 0.0);
  double sum = 0.0;
  for (size_t t = start; t < w.size(); ++t) {
    double prediction = mean;
    for (size_t i = 0; i < model.ar.size(); ++i) prediction += model.ar[i] * (w[t - i - 1] - mean);
    for (size_t j = 0; j < model.ma.size() && j < t; ++j) prediction += model.ma[j] * e[t - j - 1];
    e[t] = w[t] - prediction;
    sum += e[t] * e[t];
  }
  if (residuals != nullptr) residuals->assign(e.begin() + static_cast<long>(start), e.end());
  return sum;
}

ArimaFit ToFit(const std::vector<double>& w, const ArimaOrder& order, const Coefficients& c) {
  ArimaFit fit;
  fit.order = order;
  fit.ar = c.ar;
  fit.ma = c.ma;
  fit.seasonal_ar = c.seasonal_ar;
  fit.seasonal_ma = c.seasonal_ma;
  fit.mean = c.mean;
  const Expanded model = Expand(c, order.season_length);
  const double sum = ConditionalSumOfSquares(w, model, c.mean, &fit.residuals);
  const double n = static_cast<double>(fit.residuals.size());
  const double k =
      order.p + order.q + order.seasonal_p + order.seasonal_q + (order.constant ? 1 : 0) + 1;
  if (n <= k + 1) {
    fit.log_likelihood = -kInfinity;
    fit.aicc = kInfinity;
    return fit;
  }
  fit.sigma2 = std::max(sum / n, 1e-300);
  fit.log_likelihood = -0.5 * n * (std::log(2.0 * std::numbers::pi * fit.sigma2) + 1.0);
  fit.aicc = -2.0 * fit.log_likelihood + 2.0 * k + 2.0 * k * (k + 1.0) / (n - k - 1.0);
  return fit;
}

}  // namespace

std::string ArimaName(const ArimaOrder& order) {
  std::string name = fmt::format("ARIMA({},{},{})", order.p, order.d, order.q);
  if (order.seasonal_p + order.seasonal_d + order.seasonal_q > 0) {
    name += fmt::format("({},{},{})[{}]", order.seasonal_p, order.seasonal_d, order.seasonal_q,
                        order.season_length);
  }
  if (order.constant) name += order.d + order.seasonal_d == 0 ? " with mean" : " with drift";
  return name;
}

double KpssStatistic(const std::vector<double>& y) {
  const size_t n = y.size();
  const double mean = std::accumulate(y.begin(), y.end(), 0.0) / static_cast<double>(n);
  std::vector<double> e(n);
  for (size_t t = 0; t < n; ++t) e[t] = y[t] - mean;
  double partial = 0.0, eta = 0.0;
  for (size_t t = 0; t < n; ++t) {
    partial += e[t];
    eta += partial * partial;
  }
  const size_t lags =
      static_cast<size_t>(std::trunc(4.0 * std::pow(static_cast<double>(n) / 100.0, 0.25)));
  double variance = 0.0;
  for (size_t t = 0; t < n; ++t) variance += e[t] * e[t];
  for (size_t l = 1; l <= lags && l < n; ++l) {
    double covariance = 0.0;
    for (size_t t = l; t < n; ++t) covariance += e[t] * e[t - l];
    variance += 2.0 * (1.0 - static_cast<double>(l) / static_cast<double>(lags + 1)) * covariance;
  }
  variance /= static_cast<double>(n);
  if (variance <= 0.0) return 0.0;
  return eta / (static_cast<double>(n) * static_cast<double>(n) * variance);
}

int UnitRootDifferences(const std::vector<double>& y) {
  std::vector<double> w = y;
  int d = 0;
  while (d < 2 && w.size() > 10 && KpssStatistic(w) > 0.463) {
    w = Difference(w, 1, 0, 1);
    ++d;
  }
  return d;
}

int SeasonalDifferences(const std::vector<double>& y, int m) {
  const std::optional<double> strength = SeasonalStrength(y, m);
  return strength && *strength > 0.64 ? 1 : 0;
}

ArimaFit FitArima(const std::vector<double>& y, const ArimaOrder& order) {
  const std::vector<double> w = Difference(y, order.d, order.seasonal_d, order.season_length);
  const size_t count =
      static_cast<size_t>(order.p + order.q + order.seasonal_p + order.seasonal_q) +
      (order.constant ? 1 : 0);
  if (w.size() < count + 3) {
    ArimaFit none;
    none.order = order;
    none.aicc = kInfinity;
    none.log_likelihood = -kInfinity;
    return none;
  }
  const double w_mean = std::accumulate(w.begin(), w.end(), 0.0) / static_cast<double>(w.size());
  double w_scale = 0.0;
  for (double v : w) w_scale += (v - w_mean) * (v - w_mean);
  w_scale = std::sqrt(w_scale / static_cast<double>(w.size())) + 1e-12;
  std::vector<double> start(count, 0.0);
  std::vector<double> step(count, 0.1);
  if (order.constant) {
    start.back() = w_mean;
    step.back() = 0.1 * w_scale;
  }
  auto objective = [&](const std::vector<double>& x) {
    const Coefficients c = Decode(x, order);
    if (!RootsOutsideUnitCircle(c.ar, -1.0) || !RootsOutsideUnitCircle(c.seasonal_ar, -1.0) ||
        !RootsOutsideUnitCircle(c.ma, 1.0) || !RootsOutsideUnitCircle(c.seasonal_ma, 1.0)) {
      return kInfinity;
    }
    return ConditionalSumOfSquares(w, Expand(c, order.season_length), c.mean, nullptr);
  };
  NelderMeadResult best =
      MinimizeNelderMead(objective, start, step, 300 * static_cast<int>(count + 1), 1e-9);
  best = MinimizeNelderMead(objective, best.argmin, step, 150 * static_cast<int>(count + 1), 1e-9);
  return ToFit(w, order, Decode(best.argmin, order));
}

std::vector<double> ForecastArimaFit(const ArimaFit& fit, const std::vector<double>& y,
                                     int horizon) {
  const ArimaOrder& order = fit.order;
  const int m = order.season_length;
  std::vector<double> w = Difference(y, order.d, order.seasonal_d, m);
  const Expanded model = Expand({fit.ar, fit.ma, fit.seasonal_ar, fit.seasonal_ma, fit.mean}, m);
  // Residuals aligned to w's end; future errors are zero.
  std::vector<double> e(w.size(), 0.0);
  const size_t offset = w.size() - fit.residuals.size();
  for (size_t t = 0; t < fit.residuals.size(); ++t) e[offset + t] = fit.residuals[t];
  for (int h = 0; h < horizon; ++h) {
    const size_t t = w.size();
    double prediction = fit.mean;
    for (size_t i = 0; i < model.ar.size() && i < t; ++i)
      prediction += model.ar[i] * (w[t - i - 1] - fit.mean);
    for (size_t j = 0; j < model.ma.size() && j < t; ++j) prediction += model.ma[j] * e[t - j - 1];
    w.push_back(prediction);
    e.push_back(0.0);
  }
  // Undo the differencing: y_t = w_t − Σ_k D_k y_{t−k}, D(B) = (1−B)^d (1−B^m)^D.
  std::vector<double> polynomial{1.0};
  for (int i = 0; i < order.d; ++i) polynomial = Multiply(polynomial, {1.0, -1.0});
  for (int i = 0; i < order.seasonal_d; ++i)
    polynomial = Multiply(polynomial, LagPolynomial({1.0}, m, -1.0));
  std::vector<double> extended = y;
  const size_t future_start = w.size() - static_cast<size_t>(horizon);
  for (int h = 0; h < horizon; ++h) {
    const size_t t = extended.size();
    double value = w[future_start + static_cast<size_t>(h)];
    for (size_t k = 1; k < polynomial.size(); ++k) value -= polynomial[k] * extended[t - k];
    extended.push_back(value);
  }
  return {extended.end() - horizon, extended.end()};
}

ArimaFit AutoArima(const std::vector<double>& y, int season_length) {
  const int m = season_length;
  const int seasonal_d = SeasonalDifferences(y, m);
  const std::vector<double> seasonally_differenced = Difference(y, 0, seasonal_d, m);
  const int d = UnitRootDifferences(seasonally_differenced);
  const bool seasonal = m > 1 && y.size() >= 2 * static_cast<size_t>(m) + 1;
  const bool constant_allowed = d + seasonal_d < 2;

  ArimaFit best;
  best.aicc = kInfinity;
  std::set<std::tuple<int, int, int, int, bool>> tried;
  auto consider = [&](int p, int q, int sp, int sq, bool constant) {
    if (p < 0 || q < 0 || sp < 0 || sq < 0 || p > kMaxP || q > kMaxQ || sp > kMaxSeasonalP ||
        sq > kMaxSeasonalQ)
      return false;
    if (!seasonal && (sp > 0 || sq > 0)) return false;
    if (constant && !constant_allowed) return false;
    if (!tried.insert({p, q, sp, sq, constant}).second) return false;
    ArimaOrder order{p, d, q, sp, seasonal ? seasonal_d : 0, sq, seasonal ? m : 1, constant};
    ArimaFit fit = FitArima(y, order);
    if (std::isfinite(fit.aicc) && fit.aicc < best.aicc) {
      best = std::move(fit);
      return true;
    }
    return false;
  };
  const int s = seasonal ? 1 : 0;
  consider(2, 2, s, s, constant_allowed);
  consider(0, 0, 0, 0, constant_allowed);
  consider(1, 0, s, 0, constant_allowed);
  consider(0, 1, 0, s, constant_allowed);
  if (constant_allowed) consider(0, 0, 0, 0, false);
  for (bool improved = true; improved && std::isfinite(best.aicc);) {
    improved = false;
    const ArimaOrder o = best.order;
    const int deltas[][4] = {{1, 0, 0, 0}, {-1, 0, 0, 0},  {0, 1, 0, 0}, {0, -1, 0, 0},
                             {1, 1, 0, 0}, {-1, -1, 0, 0}, {0, 0, 1, 0}, {0, 0, -1, 0},
                             {0, 0, 0, 1}, {0, 0, 0, -1}};
    for (const auto& delta : deltas) {
      if (consider(o.p + delta[0], o.q + delta[1], o.seasonal_p + delta[2], o.seasonal_q + delta[3],
                   o.constant)) {
        improved = true;
        break;
      }
    }
    if (!improved && constant_allowed &&
        consider(o.p, o.q, o.seasonal_p, o.seasonal_q, !o.constant))
      improved = true;
  }
  if (!std::isfinite(best.aicc)) throw std::runtime_error("no ARIMA model could be fitted");
  return best;
}

ModelForecast ForecastAutoArima(const std::vector<double>& y, int horizon, int season_length) {
  const ArimaFit fit = AutoArima(y, season_length);
  ModelForecast out;
  out.description = ArimaName(fit.order);
  out.point = ForecastArimaFit(fit, y, horizon);
  out.residuals = fit.residuals;
  return out;
}

}  // namespace futureim::ml
