#pragma once

#include <vector>

#include "ml/forecasting.h"
#include "ml/model_forecast.h"

namespace futureim::ml {

// An additive model in the manner of Prophet (Taylor & Letham 2018):
//   y(t) = trend(t) + weekly(t) + yearly(t) + Σ holiday effects + ε
// with a piecewise-linear trend (25 potential changepoints in the first 80 %
// of the history), Fourier weekly (order 3) and yearly (order 10, with at
// least a year of history) seasonality and one indicator per holiday name.
// Fitted by ridge least squares (Eigen): the changepoint slopes are shrunk
// hard (a smooth trend), seasonality and holidays gently; the penalties are
// scaled by the residual variance of a first pass (a MAP fit with Gaussian
// priors of scale 0.05 for changepoints and 10 for the rest, on y / max|y|).
ModelForecast ForecastProphetStyle(const DailySeries& series, int horizon,
                                   const std::vector<Holiday>& holidays);

}  // namespace futureim::ml
