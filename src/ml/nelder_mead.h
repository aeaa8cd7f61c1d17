#pragma once

#include <functional>

#include <Eigen/Dense>

namespace futureim::ml {

// Derivative-free minimisation (Nelder–Mead simplex with the standard
// coefficients: reflection 1, expansion 2, contraction 0.5, shrink 0.5).
// Used for small maximum-likelihood fits (a handful of parameters, smooth
// objectives). A non-finite objective value is treated as +infinity, so the
// simplex backs away from invalid regions.
struct NelderMeadOptions {
  int max_iterations = 5000;
  double initial_step = 0.5;  // simplex edge along each axis
  double tolerance = 1e-10;   // stop when the simplex's value spread is below this
};

struct NelderMeadResult {
  Eigen::VectorXd minimum;
  double value = 0;
  int iterations = 0;
  bool converged = false;
};

NelderMeadResult MinimizeNelderMead(const std::function<double(const Eigen::VectorXd&)>& objective,
                                    const Eigen::VectorXd& start, const NelderMeadOptions& options);

}  // namespace futureim::ml
