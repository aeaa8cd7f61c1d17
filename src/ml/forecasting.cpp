#include "ml/forecasting.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <span>
#include <stdexcept>

#include <boost/math/distributions/normal.hpp>
#include <fmt/format.h>

#include "core/error.h"
#include "ml/accuracy_metrics.h"
#include "ml/arima.h"
#include "ml/ets.h"
#include "ml/prophet_style.h"
#include "ml/seasonal_naive.h"

namespace futureim::ml {
namespace {

constexpr int kMaxHorizon = 365;
constexpr int kMaxBacktestHorizon = 56;
// Pooled backtest errors below this count give too coarse a quantile; the
// intervals then come from the in-sample residuals instead.
constexpr size_t kMinBacktestErrors = 20;

struct KindName {
  ForecastModelKind kind;
  std::string_view name;
};
constexpr KindName kKindNames[] = {
    {ForecastModelKind::kAuto, "auto"},
    {ForecastModelKind::kSeasonalNaive, "seasonal_naive"},
    {ForecastModelKind::kEts, "ets"},
    {ForecastModelKind::kArima, "arima"},
    {ForecastModelKind::kProphetStyle, "prophet_style"},
    {ForecastModelKind::kBoostedTrees, "boosted_trees"},
};

void Validate(const DailySeries& series, const ForecastOptions& options) {
  if (options.horizon < 1 || options.horizon > kMaxHorizon) {
    throw core::Error(
        fmt::format("forecast horizon must be 1..{} days, got {}", kMaxHorizon, options.horizon));
  }
  if (options.season_length < 1 || options.season_length > 366) {
    throw core::Error(fmt::format("season length must be 1..366, got {}", options.season_length));
  }
  for (double level : options.interval_levels) {
    if (!(level > 0.0 && level < 1.0)) {
      throw core::Error(
          fmt::format("interval level must lie strictly between 0 and 1, got {}", level));
    }
  }
  if (options.backtest_folds < 0 || options.backtest_horizon < 0) {
    throw core::Error("backtest folds and horizon must not be negative");
  }
  if (series.values.empty()) throw core::Error("cannot forecast an empty series");
  for (size_t i = 0; i < series.values.size(); ++i) {
    if (!std::isfinite(series.values[i])) {
      throw core::Error(fmt::format("series value {} (day {}) is not a finite number", i + 1, i));
    }
  }
  if (options.kind == ForecastModelKind::kBoostedTrees) {
    throw core::Error(
        "the boosted_trees forecaster is not built yet; use auto, ets, arima, prophet_style or "
        "seasonal_naive");
  }
  const int needed = MinimumObservations(options.kind, options.season_length);
  if (static_cast<int>(series.values.size()) < needed) {
    throw core::Error(fmt::format("series too short for {}: {} observations, at least {} needed",
                                  ForecastModelName(options.kind), series.values.size(), needed));
  }
}

core::CivilDate AddDays(const core::CivilDate& date, int64_t days) {
  return core::CivilFromDays(core::DaysFromCivil(date) + days);
}

DailySeries Head(const DailySeries& series, size_t length) {
  return {series.start, std::vector<double>(series.values.begin(),
                                            series.values.begin() + static_cast<long>(length))};
}

ModelForecast FitModel(ForecastModelKind kind, const DailySeries& series, int horizon,
                       const ForecastOptions& options) {
  ModelForecast forecast;
  switch (kind) {
    case ForecastModelKind::kSeasonalNaive:
      forecast = ForecastSeasonalNaive(series.values, horizon, options.season_length);
      break;
    case ForecastModelKind::kEts:
      forecast = ForecastEts(series.values, horizon, options.season_length);
      break;
    case ForecastModelKind::kArima:
      forecast = ForecastAutoArima(series.values, horizon, options.season_length);
      break;
    case ForecastModelKind::kProphetStyle:
      forecast = ForecastProphetStyle(series, horizon, options.holidays);
      break;
    default:
      throw std::logic_error("FitModel: not a concrete model");
  }
  const bool finite = std::all_of(forecast.point.begin(), forecast.point.end(),
                                  [](double v) { return std::isfinite(v); }) &&
                      std::all_of(forecast.residuals.begin(), forecast.residuals.end(),
                                  [](double v) { return std::isfinite(v); });
  if (!finite || static_cast<int>(forecast.point.size()) != horizon) {
    throw std::runtime_error(
        fmt::format("{} produced a non-finite forecast", ForecastModelName(kind)));
  }
  return forecast;
}

struct Backtest {
  BacktestScore score;
  std::vector<double> errors;  // actual − forecast, pooled over folds
};

// Rolling origin: fold k (k = folds..1) trains on the series up to
// n − k·H and forecasts the next H days; the test windows do not overlap.
Backtest RunBacktest(ForecastModelKind kind, const DailySeries& series,
                     const ForecastOptions& options, int fold_horizon, int folds) {
  Backtest result;
  result.score.model = kind;
  const size_t n = series.values.size();
  std::vector<double> actual, predicted;  // pooled over folds
  double scaled = 0.0;
  int scaled_folds = 0;
  for (int k = folds; k >= 1; --k) {
    const size_t origin = n - static_cast<size_t>(k) * static_cast<size_t>(fold_horizon);
    ModelForecast forecast;
    try {
      forecast = FitModel(kind, Head(series, origin), fold_horizon, options);
    } catch (const std::exception& e) {
      result.score.error = e.what();
      result.score.folds = 0;
      result.errors.clear();
      return result;
    }
    const std::span<const double> fold_actual(series.values.data() + origin,
                                              static_cast<size_t>(fold_horizon));
    for (int h = 0; h < fold_horizon; ++h) {
      const size_t i = static_cast<size_t>(h);
      actual.push_back(fold_actual[i]);
      predicted.push_back(forecast.point[i]);
      result.errors.push_back(fold_actual[i] - forecast.point[i]);
    }
    // MASE per fold: each fold has its own history, hence its own scale.
    const std::optional<double> mase = MeanAbsoluteScaledError(
        fold_actual, forecast.point, std::span<const double>(series.values.data(), origin),
        static_cast<size_t>(options.season_length));
    if (mase) {
      scaled += *mase;
      ++scaled_folds;
    }
  }
  result.score.folds = folds;
  result.score.rmse = RootMeanSquaredError(actual, predicted);
  result.score.mae = MeanAbsoluteError(actual, predicted);
  result.score.mape = MeanAbsolutePercentageError(actual, predicted);
  if (scaled_folds == folds) result.score.mase = scaled / folds;
  return result;
}

double Quantile(std::vector<double> values, double probability) {
  std::sort(values.begin(), values.end());
  const double position = probability * static_cast<double>(values.size() - 1);
  const size_t below = static_cast<size_t>(std::floor(position));
  const size_t above = std::min(below + 1, values.size() - 1);
  const double weight = position - static_cast<double>(below);
  return values[below] * (1.0 - weight) + values[above] * weight;
}

// Intervals from the backtest's pooled absolute errors (empirical
// quantiles, split-conformal style); beyond the backtest's
// horizon the width grows with √(h / H). Without enough backtest errors, a
// normal interval from the in-sample residuals' spread widening with √h.
void AddIntervals(ForecastResult& result, const std::vector<double>& backtest_errors,
                  int backtest_horizon, const std::vector<double>& residuals,
                  const std::vector<double>& levels) {
  const size_t horizon = result.point.size();
  const bool from_backtest = backtest_errors.size() >= kMinBacktestErrors;
  result.interval_method = from_backtest ? "backtest residuals" : "in-sample residuals";
  double residual_sd = 0.0;
  if (!from_backtest && residuals.size() > 1) {
    const double mean = std::accumulate(residuals.begin(), residuals.end(), 0.0) /
                        static_cast<double>(residuals.size());
    for (double r : residuals) residual_sd += (r - mean) * (r - mean);
    residual_sd = std::sqrt(residual_sd / static_cast<double>(residuals.size() - 1));
  }
  std::vector<double> sorted_levels = levels;
  for (double level : levels) {
    PredictionInterval interval;
    interval.level = level;
    interval.lower.resize(horizon);
    interval.upper.resize(horizon);
    double low_offset = 0.0, high_offset = 0.0;
    if (from_backtest) {
      // Symmetric: the backtest's bias (e.g. under-forecasting a rising
      // spring) need not recur in the horizon, so |error| quantiles are
      // more robust than signed ones.
      std::vector<double> absolute(backtest_errors.size());
      for (size_t i = 0; i < absolute.size(); ++i) absolute[i] = std::abs(backtest_errors[i]);
      high_offset = Quantile(absolute, level);
      low_offset = -high_offset;
    } else {
      const double z = boost::math::quantile(boost::math::normal(), (1.0 + level) / 2.0);
      low_offset = -z * residual_sd;
      high_offset = z * residual_sd;
    }
    for (size_t h = 0; h < horizon; ++h) {
      const double step = static_cast<double>(h + 1);
      const double growth =
          from_backtest ? std::sqrt(std::max(1.0, step / backtest_horizon)) : std::sqrt(step);
      const double point = result.point[h];
      interval.lower[h] = std::min(point, point + growth * low_offset);
      interval.upper[h] = std::max(point, point + growth * high_offset);
    }
    result.intervals.push_back(std::move(interval));
  }
}

bool IsConstant(const std::vector<double>& values) {
  const auto [low, high] = std::minmax_element(values.begin(), values.end());
  return *high - *low <= 1e-12 * std::max(1.0, std::abs(*high));
}

}  // namespace

std::string_view ForecastModelName(ForecastModelKind kind) {
  for (const KindName& entry : kKindNames) {
    if (entry.kind == kind) return entry.name;
  }
  return "unknown";
}

std::optional<ForecastModelKind> ParseForecastModelKind(std::string_view name) {
  for (const KindName& entry : kKindNames) {
    if (entry.name == name) return entry.kind;
  }
  return std::nullopt;
}

std::vector<ForecastModelKind> ConcreteForecastModels() {
  return {ForecastModelKind::kSeasonalNaive, ForecastModelKind::kEts, ForecastModelKind::kArima,
          ForecastModelKind::kProphetStyle};
}

int MinimumObservations(ForecastModelKind kind, int season_length) {
  switch (kind) {
    case ForecastModelKind::kSeasonalNaive:
      return season_length;
    case ForecastModelKind::kEts:
      return 10;
    case ForecastModelKind::kArima:
      return std::max(20, 2 * season_length + 1);
    case ForecastModelKind::kProphetStyle:
      return 14;
    case ForecastModelKind::kBoostedTrees:
      return 2 * season_length + 28;
    case ForecastModelKind::kAuto:
      return season_length;
  }
  return season_length;
}

ForecastResult Forecast(const DailySeries& series, const ForecastOptions& options) {
  Validate(series, options);
  const size_t n = series.values.size();
  ForecastResult result;
  result.first_date = AddDays(series.start, static_cast<int64_t>(n));
  if (IsConstant(series.values)) {
    // Every model's answer for a constant series is the constant; fitting
    // would only divide zero by zero.
    result.model = ForecastModelKind::kSeasonalNaive;
    result.description = "constant";
    result.point.assign(static_cast<size_t>(options.horizon), series.values.front());
    for (double level : options.interval_levels)
      result.intervals.push_back({level, result.point, result.point});
    result.interval_method = "constant series";
    result.notes.push_back("the series is constant: flat forecast with zero-width intervals");
    return result;
  }

  std::vector<ForecastModelKind> candidates;
  if (options.kind == ForecastModelKind::kAuto) {
    candidates = options.candidates.empty() ? ConcreteForecastModels() : options.candidates;
    std::erase_if(candidates, [&](ForecastModelKind kind) {
      return kind == ForecastModelKind::kAuto || kind == ForecastModelKind::kBoostedTrees ||
             static_cast<int>(n) < MinimumObservations(kind, options.season_length);
    });
    if (candidates.empty()) candidates.push_back(ForecastModelKind::kSeasonalNaive);
  } else {
    candidates.push_back(options.kind);
  }

  // The backtest: as many folds (up to the requested) as leave each model
  // its minimum training length.
  const int fold_horizon = options.backtest_horizon > 0
                               ? options.backtest_horizon
                               : std::min(options.horizon, kMaxBacktestHorizon);
  std::vector<Backtest> backtests;
  for (ForecastModelKind kind : candidates) {
    const int needed =
        std::max(MinimumObservations(kind, options.season_length), 2 * options.season_length);
    const int room = (static_cast<int>(n) - needed) / fold_horizon;
    const int folds = std::min(options.backtest_folds, std::max(room, 0));
    if (folds == 0) {
      Backtest none;
      none.score.model = kind;
      none.score.error = "series too short for a backtest";
      backtests.push_back(std::move(none));
      continue;
    }
    backtests.push_back(RunBacktest(kind, series, options, fold_horizon, folds));
  }

  // Selection: least MASE (RMSE where MASE is undefined); an unscored model
  // only when nothing was scored (then the first candidate).
  size_t chosen = 0;
  auto better = [](const BacktestScore& a, const BacktestScore& b) {
    if (a.folds == 0) return false;
    if (b.folds == 0) return true;
    if (a.mase && b.mase) return *a.mase < *b.mase;
    return a.rmse < b.rmse;
  };
  for (size_t i = 1; i < backtests.size(); ++i) {
    if (better(backtests[i].score, backtests[chosen].score)) chosen = i;
  }

  ModelForecast forecast;
  ForecastModelKind used = candidates[chosen];
  try {
    forecast = FitModel(used, series, options.horizon, options);
  } catch (const std::exception& e) {
    if (used == ForecastModelKind::kSeasonalNaive) throw;
    result.notes.push_back(fmt::format("{} failed ({}); fell back to seasonal naive",
                                       ForecastModelName(used), e.what()));
    used = ForecastModelKind::kSeasonalNaive;
    forecast = FitModel(used, series, options.horizon, options);
  }
  result.model = used;
  result.description = forecast.description;
  result.point = std::move(forecast.point);
  std::vector<double> errors;
  for (const Backtest& backtest : backtests) {
    if (backtest.score.model == used) errors = backtest.errors;
  }
  AddIntervals(result, errors, fold_horizon, forecast.residuals, options.interval_levels);
  for (Backtest& backtest : backtests) result.backtest.push_back(std::move(backtest.score));
  return result;
}

}  // namespace futureim::ml
