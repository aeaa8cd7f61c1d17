#pragma once

#include <functional>
#include <vector>

namespace futureim::ml {

// Derivative-free minimisation of a function of a few unconstrained
// parameters (Nelder & Mead's simplex, standard coefficients). Used to fit
// the forecasting models' likelihoods; parameters with bounds are passed
// through a transform by the caller. Non-finite objective values count as
// +infinity, so a caller can reject a region by returning NaN or infinity.
struct NelderMeadResult {
  std::vector<double> argmin;
  double minimum = 0.0;
  int evaluations = 0;
};

NelderMeadResult MinimizeNelderMead(
    const std::function<double(const std::vector<double>&)>& objective, std::vector<double> start,
    const std::vector<double>& step, int max_evaluations = 2000, double tolerance = 1e-8);

}  // namespace futureim::ml
