#pragma once

#include <string>
#include <vector>

#include "ml/model_forecast.h"

namespace futureim::ml {

// Seasonal ARIMA(p,d,q)(P,D,Q)[m] fitted by conditional sum of squares, and
// the automatic order search of Hyndman & Khandakar (2008): d by repeated
// KPSS tests, D by the seasonal strength of a classical decomposition, then
// a stepwise search over (p,q,P,Q, constant) by AICc.
struct ArimaOrder {
  int p = 0, d = 0, q = 0;
  int seasonal_p = 0, seasonal_d = 0, seasonal_q = 0;
  int season_length = 1;
  bool constant = false;  // a mean of the differenced series (drift when d+D = 1)

  friend bool operator==(const ArimaOrder&, const ArimaOrder&) = default;
};

struct ArimaFit {
  ArimaOrder order;
  std::vector<double> ar, ma, seasonal_ar, seasonal_ma;
  double mean = 0.0;    // of the differenced series
  double sigma2 = 0.0;  // residual variance
  double log_likelihood = 0.0;
  double aicc = 0.0;
  std::vector<double> residuals;  // on the differenced scale, aligned to y's end
};

std::string ArimaName(const ArimaOrder& order);

// The KPSS level-stationarity statistic (Kwiatkowski et al. 1992) with the
// Newey-West long-run variance, lag trunc(4·(n/100)^¼).
double KpssStatistic(const std::vector<double>& y);
// Differences needed for stationarity: KPSS at 5 % (critical value 0.463), at most 2.
int UnitRootDifferences(const std::vector<double>& y);
// 1 when the seasonal strength max(0, 1 − Var(R)/Var(S+R)) exceeds 0.64.
int SeasonalDifferences(const std::vector<double>& y, int season_length);

ArimaFit FitArima(const std::vector<double>& y, const ArimaOrder& order);
std::vector<double> ForecastArimaFit(const ArimaFit& fit, const std::vector<double>& y,
                                     int horizon);
// The stepwise search; returns the fit of least AICc.
ArimaFit AutoArima(const std::vector<double>& y, int season_length);
ModelForecast ForecastAutoArima(const std::vector<double>& y, int horizon, int season_length);

}  // namespace futureim::ml
