#pragma once

// Univariate daily-series forecasting: the public entry point shared by the
// analytics systems (Market Intelligence Hub, Demand Insights Engine).
//
// Forecast() fits one model (or, with kAuto, every candidate, scored by a
// rolling-origin backtest) to a gap-free daily series and returns point
// forecasts with prediction intervals for `horizon` days after the last
// observation. Invariants of every ForecastResult:
//   - point.size() == horizon, and every interval's lower/upper too;
//   - lower <= point <= upper at every step, wider levels contain narrower;
//   - no NaN or infinity anywhere (a constant series gives a flat forecast
//     with zero-width intervals; a degenerate fit falls back, see below).
// Bad input (empty series, fewer observations than the model needs, horizon
// outside 1..365, a level outside (0,1), a NaN/inf value) throws core::Error
// with a message that says what is wrong; nothing is partially returned.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/civil_date.h"

namespace futureim::ml {

// A dated holiday. Days with the same name share one effect (the
// Prophet-style model's regressor), so "Black Friday" of two years is one
// effect learnt from the history and applied in the horizon.
struct Holiday {
  std::string name;
  core::CivilDate date;
};

// One value per calendar day, no gaps: values[i] is the value of day
// start + i. Callers fill days without sales with 0 before forecasting.
struct DailySeries {
  core::CivilDate start;
  std::vector<double> values;
};

enum class ForecastModelKind {
  kAuto,           // every candidate, best by backtest MASE (ties: RMSE)
  kSeasonalNaive,  // y[t+h] = y[t+h-m*k], m = season_length
  kEts,            // exponential smoothing state space, chosen by AICc
  kArima,          // auto-ARIMA: stepwise orders by AICc, differencing by KPSS
  kProphetStyle,   // piecewise-linear trend + Fourier seasonality + holidays
  kBoostedTrees,   // XGBoost on lag and calendar features, recursive forecast
};

// "auto", "seasonal_naive", "ets", "arima", "prophet_style", "boosted_trees".
std::string_view ForecastModelName(ForecastModelKind kind);
// The inverse of ForecastModelName; nullopt for an unknown name.
std::optional<ForecastModelKind> ParseForecastModelKind(std::string_view name);
// The concrete models (every kind but kAuto), in a fixed order.
std::vector<ForecastModelKind> ConcreteForecastModels();
// The fewest observations the model accepts for the given season length.
int MinimumObservations(ForecastModelKind kind, int season_length);

struct ForecastOptions {
  int horizon = 28;  // 1..365 days
  ForecastModelKind kind = ForecastModelKind::kAuto;
  std::vector<double> interval_levels = {0.8, 0.95};  // each in (0, 1)
  int season_length = 7;                              // weekly for daily data
  // Days with holiday effects (Prophet-style regressors; others ignore them).
  // Dates may lie in the history or in the forecast horizon; see
  // ml/retail_calendar.h for the usual retail days.
  std::vector<Holiday> holidays;
  // kAuto: rolling-origin backtest with this many folds, each forecasting
  // backtest_horizon days (0: min(horizon, 28)). Also used by every kind to
  // report backtest scores when the series is long enough.
  int backtest_folds = 3;
  int backtest_horizon = 0;
  // kAuto: the models compared (empty: every concrete model).
  std::vector<ForecastModelKind> candidates;
};

struct PredictionInterval {
  double level = 0.0;  // e.g. 0.8
  std::vector<double> lower;
  std::vector<double> upper;
};

// A model's rolling-origin backtest. MAPE skips actual zeros and is nullopt
// when every actual was zero; MASE is relative to the in-sample seasonal
// naive error and nullopt when that error is zero (a constant series).
struct BacktestScore {
  ForecastModelKind model = ForecastModelKind::kSeasonalNaive;
  int folds = 0;  // folds that ran; 0 means the model could not be scored
  double rmse = 0.0;
  double mae = 0.0;
  std::optional<double> mape;
  std::optional<double> mase;
  std::string error;  // why the model could not be scored (folds == 0)
};

struct ForecastResult {
  ForecastModelKind model = ForecastModelKind::kSeasonalNaive;  // the model used
  std::string description;     // e.g. "ETS(A,Ad,A)", "ARIMA(1,1,1)(0,1,1)[7]"
  core::CivilDate first_date;  // the day after the last observation
  std::vector<double> point;
  std::vector<PredictionInterval> intervals;  // in the order of interval_levels
  std::string interval_method;                // "model" or "backtest residuals"
  std::vector<BacktestScore> backtest;        // every model scored (kAuto: all candidates)
  std::vector<std::string> notes;             // fallbacks taken, e.g. a constant series
};

ForecastResult Forecast(const DailySeries& series, const ForecastOptions& options);

}  // namespace futureim::ml
