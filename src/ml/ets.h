#pragma once

#include <string>
#include <vector>

#include "ml/model_forecast.h"

namespace futureim::ml {

// Exponential smoothing in state-space form (Hyndman, Koehler, Ord & Snyder
// 2008): error additive or multiplicative, trend none / additive / damped,
// season none / additive / multiplicative. Smoothing parameters and the
// initial states (level, trend, the m − 1 free seasonal states) are fitted by
// maximum likelihood, starting from a decomposition of the first seasons.
// The recursions are the book's (Table 2.3), as in R's forecast::ets;
// statsmodels differs only in updating a multiplicative season with l_t.
enum class EtsError { kAdditive, kMultiplicative };
enum class EtsTrend { kNone, kAdditive, kDamped };
enum class EtsSeason { kNone, kAdditive, kMultiplicative };

struct EtsSpec {
  EtsError error = EtsError::kAdditive;
  EtsTrend trend = EtsTrend::kNone;
  EtsSeason season = EtsSeason::kNone;
};

// Parameters and initial states of one ETS model. seasonal_initial holds
// s[-m+1..0] in time order (the state used for the first observation first).
struct EtsParameters {
  double alpha = 0.1;
  double beta = 0.0;
  double gamma = 0.0;
  double phi = 1.0;
  double level = 0.0;
  double trend = 0.0;
  std::vector<double> seasonal_initial;
};

struct EtsFit {
  EtsSpec spec;
  int season_length = 1;
  EtsParameters parameters;
  double log_likelihood = 0.0;  // Gaussian, full (with the 2π constant)
  double aicc = 0.0;
  std::vector<double> fitted;     // one-step forecasts
  std::vector<double> residuals;  // actual − fitted
  // The final states, from which the forecast starts.
  double final_level = 0.0;
  double final_trend = 0.0;
  std::vector<double> final_seasonal;  // the next m seasonal states, in order
};

// "ETS(A,Ad,M)" etc.
std::string EtsName(const EtsSpec& spec);

// Runs the state recursion with fixed parameters (no fitting).
EtsFit FilterEts(const std::vector<double>& y, const EtsSpec& spec, int season_length,
                 const EtsParameters& parameters);
// Fits one model by maximum likelihood.
EtsFit FitEts(const std::vector<double>& y, const EtsSpec& spec, int season_length);
std::vector<double> ForecastEtsFit(const EtsFit& fit, int horizon);

// Fits every admissible model (multiplicative parts only for a positive
// series, seasonal ones only with two full seasons) and forecasts with the
// one of least AICc.
ModelForecast ForecastEts(const std::vector<double>& y, int horizon, int season_length);

}  // namespace futureim::ml
