#include "ml/ets.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>
#include <stdexcept>

#include "ml/nelder_mead.h"

namespace futureim::ml {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

double Logistic(double x) { return 1.0 / (1.0 + std::exp(-x)); }
double Logit(double p) { return std::log(p / (1.0 - p)); }

bool HasTrend(const EtsSpec& spec) { return spec.trend != EtsTrend::kNone; }
bool HasSeason(const EtsSpec& spec) { return spec.season != EtsSeason::kNone; }

// Initial seasonal indices (additive: deviations summing to 0; multiplicative:
// ratios averaging 1) from up to four full seasons, and the initial level and
// trend from the first seasons' means.
EtsParameters InitialStates(const std::vector<double>& y, const EtsSpec& spec, int m) {
  EtsParameters p;
  const int n = static_cast<int>(y.size());
  const int period = HasSeason(spec) ? m : std::min(n, 10);
  const int seasons = HasSeason(spec) ? std::clamp(n / m, 1, 4) : 1;
  std::vector<double> means(static_cast<size_t>(std::max(seasons, 2)), 0.0);
  for (int k = 0; k < seasons; ++k) {
    double sum = 0.0;
    for (int j = 0; j < period; ++j) sum += y[static_cast<size_t>(k * period + j)];
    means[static_cast<size_t>(k)] = sum / period;
  }
  if (HasSeason(spec)) {
    p.seasonal_initial.assign(static_cast<size_t>(m), 0.0);
    const bool multiplicative = spec.season == EtsSeason::kMultiplicative;
    for (int j = 0; j < m; ++j) {
      double sum = 0.0;
      for (int k = 0; k < seasons; ++k) {
        const double value = y[static_cast<size_t>(k * m + j)];
        const double mean = means[static_cast<size_t>(k)];
        sum += multiplicative ? value / mean : value - mean;
      }
      p.seasonal_initial[static_cast<size_t>(j)] = sum / seasons;
    }
    const double centre =
        std::accumulate(p.seasonal_initial.begin(), p.seasonal_initial.end(), 0.0) / m;
    for (double& s : p.seasonal_initial) s = multiplicative ? s / centre : s - centre;
  }
  p.level = means[0];
  if (HasTrend(spec)) {
    if (seasons >= 2) {
      p.trend = (means[1] - means[0]) / period;
    } else if (n >= 2) {
      p.trend = (y[static_cast<size_t>(std::min(n, period) - 1)] - y[0]) /
                std::max(1, std::min(n, period) - 1);
    }
  }
  p.alpha = 0.2;
  p.beta = HasTrend(spec) ? 0.02 : 0.0;
  p.gamma = HasSeason(spec) ? 0.05 : 0.0;
  p.phi = spec.trend == EtsTrend::kDamped ? 0.95 : 1.0;
  return p;
}

int ParameterCount(const EtsSpec& spec, int m) {
  int k = 2;  // alpha, initial level
  if (HasTrend(spec)) k += 2;
  if (spec.trend == EtsTrend::kDamped) k += 1;
  if (HasSeason(spec)) k += m;  // gamma and m − 1 free initial states
  return k + 1;                 // the error variance
}

}  // namespace

std::string EtsName(const EtsSpec& spec) {
  std::string name = "ETS(";
  name += spec.error == EtsError::kAdditive ? "A," : "M,";
  name += spec.trend == EtsTrend::kNone ? "N," : spec.trend == EtsTrend::kAdditive ? "A," : "Ad,";
  name += spec.season == EtsSeason::kNone       ? "N)"
          : spec.season == EtsSeason::kAdditive ? "A)"
                                                : "M)";
  return name;
}

EtsFit FilterEts(const std::vector<double>& y, const EtsSpec& spec, int season_length,
                 const EtsParameters& parameters) {
  const int m = HasSeason(spec) ? season_length : 1;
  if (HasSeason(spec) && static_cast<int>(parameters.seasonal_initial.size()) != m) {
    throw std::logic_error("FilterEts: seasonal_initial must have season_length values");
  }
  EtsFit fit;
  fit.spec = spec;
  fit.season_length = m;
  fit.parameters = parameters;
  const size_t n = y.size();
  fit.fitted.resize(n);
  fit.residuals.resize(n);
  const double alpha = parameters.alpha;
  const double beta = parameters.beta;
  const double gamma = parameters.gamma;
  const double phi = HasTrend(spec) ? parameters.phi : 0.0;
  double level = parameters.level;
  double trend = HasTrend(spec) ? parameters.trend : 0.0;
  std::vector<double> seasonal =
      HasSeason(spec) ? parameters.seasonal_initial : std::vector<double>{0.0};
  const bool multiplicative_season = spec.season == EtsSeason::kMultiplicative;
  double sum_squares = 0.0;
  double sum_log_forecast = 0.0;
  bool admissible = true;
  for (size_t t = 0; t < n; ++t) {
    const size_t slot = t % static_cast<size_t>(m);
    const double base = level + phi * trend;
    const double s = HasSeason(spec) ? seasonal[slot] : (multiplicative_season ? 1.0 : 0.0);
    const double forecast = multiplicative_season ? base * s : base + s;
    const double error = y[t] - forecast;
    fit.fitted[t] = forecast;
    fit.residuals[t] = error;
    if (spec.error == EtsError::kMultiplicative) {
      if (!(forecast > 0.0)) {
        admissible = false;
        break;
      }
      sum_squares += (error / forecast) * (error / forecast);
      sum_log_forecast += std::log(forecast);
    } else {
      sum_squares += error * error;
    }
    if (multiplicative_season) {
      if (!(s > 0.0) || !(base > 0.0)) {
        admissible = false;
        break;
      }
      level = base + alpha * error / s;
      trend = phi * trend + beta * error / s;
      seasonal[slot] = s + gamma * error / base;
    } else {
      level = base + alpha * error;
      trend = phi * trend + beta * error;
      if (HasSeason(spec)) seasonal[slot] = s + gamma * error;
    }
  }
  fit.final_level = level;
  fit.final_trend = trend;
  if (HasSeason(spec)) {
    fit.final_seasonal.resize(static_cast<size_t>(m));
    for (size_t i = 0; i < static_cast<size_t>(m); ++i)
      fit.final_seasonal[i] = seasonal[(n + i) % static_cast<size_t>(m)];
  }
  const double count = static_cast<double>(n);
  if (!admissible || n == 0) {
    fit.log_likelihood = -kInfinity;
    fit.aicc = kInfinity;
    return fit;
  }
  // A floor on the variance keeps a perfect fit finite (a constant series).
  const double variance = std::max(sum_squares / count, 1e-300);
  fit.log_likelihood =
      -0.5 * count * (std::log(2.0 * std::numbers::pi * variance) + 1.0) - sum_log_forecast;
  const double k = ParameterCount(spec, m);
  fit.aicc = -2.0 * fit.log_likelihood + 2.0 * k +
             (count - k - 1.0 > 0.0 ? 2.0 * k * (k + 1.0) / (count - k - 1.0) : kInfinity);
  return fit;
}

EtsFit FitEts(const std::vector<double>& y, const EtsSpec& spec, int season_length) {
  const int m = HasSeason(spec) ? season_length : 1;
  const EtsParameters start = InitialStates(y, spec, m);
  double scale = 0.0;
  for (size_t t = 1; t < y.size(); ++t) scale += std::abs(y[t] - y[t - 1]);
  scale = std::max(scale / std::max<size_t>(1, y.size() - 1), 1e-6 * (std::abs(start.level) + 1.0));
  // Unconstrained coordinates: alpha = σ(u0); beta = alpha·σ(u1);
  // gamma = (1 − alpha)·σ(u2); phi = 0.8 + 0.18·σ(u3); level and trend are
  // offsets from the heuristic start in units of the mean absolute change.
  auto decode = [&](const std::vector<double>& u) {
    EtsParameters p = start;
    size_t i = 0;
    p.alpha = Logistic(u[i++]);
    if (HasTrend(spec)) p.beta = p.alpha * Logistic(u[i++]);
    if (spec.trend == EtsTrend::kDamped) p.phi = 0.8 + 0.18 * Logistic(u[i++]);
    if (HasSeason(spec)) p.gamma = (1.0 - p.alpha) * Logistic(u[i++]);
    p.level = start.level + scale * u[i++];
    if (HasTrend(spec)) p.trend = start.trend + 0.1 * scale * u[i++];
    if (HasSeason(spec)) {
      const bool multiplicative = spec.season == EtsSeason::kMultiplicative;
      double sum = 0.0;
      for (size_t j = 0; j < p.seasonal_initial.size(); ++j) {
        if (j + 1 < p.seasonal_initial.size())
          p.seasonal_initial[j] += (multiplicative ? 0.05 : scale) * u[i++];
        sum += p.seasonal_initial[j];
      }
      // Normalised like the start: deviations sum to 0, ratios average 1.
      const double centre = sum / static_cast<double>(p.seasonal_initial.size());
      for (double& s : p.seasonal_initial) s = multiplicative ? s / centre : s - centre;
    }
    return p;
  };
  auto objective = [&](const std::vector<double>& u) {
    return -FilterEts(y, spec, m, decode(u)).log_likelihood;
  };
  // Two starts: lively (α = 0.2) and nearly deterministic (α = 0.01, the
  // optimum of a stable pattern, which lies far from the first in logits).
  NelderMeadResult best;
  best.minimum = kInfinity;
  for (const double alpha : {0.2, 0.01}) {
    std::vector<double> u0{Logit(alpha)};
    if (HasTrend(spec)) u0.push_back(Logit(alpha < 0.1 ? 0.01 : 0.1));
    if (spec.trend == EtsTrend::kDamped) u0.push_back(Logit((start.phi - 0.8) / 0.18));
    if (HasSeason(spec)) u0.push_back(Logit(alpha * 0.25));
    const size_t smoothing_count = u0.size();
    u0.push_back(0.0);
    if (HasTrend(spec)) u0.push_back(0.0);
    if (HasSeason(spec)) u0.resize(u0.size() + static_cast<size_t>(m - 1), 0.0);
    std::vector<double> step(u0.size(), 0.5);
    for (size_t i = 0; i < smoothing_count; ++i) step[i] = 2.0;
    NelderMeadResult fit =
        MinimizeNelderMead(objective, u0, step, 400 * static_cast<int>(u0.size()));
    // Restarts from the optimum with a fresh simplex escape premature
    // collapses; stop when one gains less than 0.01 in log-likelihood.
    for (int restart = 0; restart < 4; ++restart) {
      NelderMeadResult next =
          MinimizeNelderMead(objective, fit.argmin, step, 200 * static_cast<int>(u0.size()));
      const double gain = fit.minimum - next.minimum;
      if (next.minimum < fit.minimum) fit = std::move(next);
      if (!(gain > 0.01)) break;
    }
    if (fit.minimum < best.minimum || best.argmin.empty()) best = std::move(fit);
  }
  return FilterEts(y, spec, m, decode(best.argmin));
}

std::vector<double> ForecastEtsFit(const EtsFit& fit, int horizon) {
  std::vector<double> point(static_cast<size_t>(horizon));
  const bool trend = HasTrend(fit.spec);
  const double phi = trend ? fit.parameters.phi : 0.0;
  double damped_sum = 0.0;
  double phi_power = 1.0;
  for (int h = 1; h <= horizon; ++h) {
    phi_power *= phi;
    damped_sum += phi_power;
    const double base = fit.final_level + (trend ? damped_sum * fit.final_trend : 0.0);
    double value = base;
    if (HasSeason(fit.spec)) {
      const double s = fit.final_seasonal[static_cast<size_t>((h - 1) % fit.season_length)];
      value = fit.spec.season == EtsSeason::kMultiplicative ? base * s : base + s;
    }
    point[static_cast<size_t>(h - 1)] = value;
  }
  return point;
}

ModelForecast ForecastEts(const std::vector<double>& y, int horizon, int season_length) {
  const bool positive = std::all_of(y.begin(), y.end(), [](double v) { return v > 0.0; });
  const bool seasonal = season_length > 1 && static_cast<int>(y.size()) >= 2 * season_length;
  std::vector<EtsSpec> specs;
  for (EtsError error : {EtsError::kAdditive, EtsError::kMultiplicative}) {
    if (error == EtsError::kMultiplicative && !positive) continue;
    for (EtsTrend trend : {EtsTrend::kNone, EtsTrend::kAdditive, EtsTrend::kDamped}) {
      for (EtsSeason season :
           {EtsSeason::kNone, EtsSeason::kAdditive, EtsSeason::kMultiplicative}) {
        if (season != EtsSeason::kNone && !seasonal) continue;
        if (season == EtsSeason::kMultiplicative && (!positive || error == EtsError::kAdditive))
          continue;
        specs.push_back({error, trend, season});
      }
    }
  }
  EtsFit best;
  best.aicc = kInfinity;
  for (const EtsSpec& spec : specs) {
    EtsFit fit = FitEts(y, spec, season_length);
    if (std::isfinite(fit.aicc) && (fit.aicc < best.aicc || !std::isfinite(best.aicc)))
      best = std::move(fit);
  }
  if (!std::isfinite(best.aicc)) throw std::runtime_error("no admissible ETS model");
  ModelForecast out;
  out.description = EtsName(best.spec);
  out.point = ForecastEtsFit(best, horizon);
  out.residuals = best.residuals;
  return out;
}

}  // namespace futureim::ml
