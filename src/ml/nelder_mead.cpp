#include "ml/nelder_mead.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

namespace futureim::ml {

NelderMeadResult MinimizeNelderMead(const std::function<double(const Eigen::VectorXd&)>& objective,
                                    const Eigen::VectorXd& start,
                                    const NelderMeadOptions& options) {
  const auto evaluate = [&](const Eigen::VectorXd& x) {
    const double value = objective(x);
    return std::isfinite(value) ? value : std::numeric_limits<double>::infinity();
  };
  const Eigen::Index n = start.size();
  std::vector<Eigen::VectorXd> simplex(n + 1, start);
  for (Eigen::Index i = 0; i < n; ++i) simplex[i + 1][i] += options.initial_step;
  std::vector<double> values(n + 1);
  for (Eigen::Index i = 0; i <= n; ++i) values[i] = evaluate(simplex[i]);
  std::vector<size_t> order(n + 1);

  NelderMeadResult result;
  for (result.iterations = 0; result.iterations < options.max_iterations; ++result.iterations) {
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return values[a] < values[b]; });
    const size_t best = order.front(), worst = order.back(), second = order[n - 1];
    if (std::isfinite(values[worst]) &&
        values[worst] - values[best] <= options.tolerance * (1 + std::abs(values[best]))) {
      result.converged = true;
      break;
    }
    Eigen::VectorXd centroid = Eigen::VectorXd::Zero(n);
    for (size_t i = 0; i <= static_cast<size_t>(n); ++i) {
      if (i != worst) centroid += simplex[i];
    }
    centroid /= static_cast<double>(n);
    const Eigen::VectorXd reflected = centroid + (centroid - simplex[worst]);
    const double reflected_value = evaluate(reflected);
    if (reflected_value < values[best]) {
      const Eigen::VectorXd expanded = centroid + 2 * (centroid - simplex[worst]);
      const double expanded_value = evaluate(expanded);
      if (expanded_value < reflected_value) {
        simplex[worst] = expanded;
        values[worst] = expanded_value;
      } else {
        simplex[worst] = reflected;
        values[worst] = reflected_value;
      }
      continue;
    }
    if (reflected_value < values[second]) {
      simplex[worst] = reflected;
      values[worst] = reflected_value;
      continue;
    }
    // Contract towards the better of the worst point and its reflection.
    const bool outside = reflected_value < values[worst];
    const Eigen::VectorXd contracted =
        outside ? Eigen::VectorXd(centroid + 0.5 * (reflected - centroid))
                : Eigen::VectorXd(centroid + 0.5 * (simplex[worst] - centroid));
    const double contracted_value = evaluate(contracted);
    if (contracted_value < std::min(values[worst], reflected_value)) {
      simplex[worst] = contracted;
      values[worst] = contracted_value;
      continue;
    }
    for (size_t i = 0; i <= static_cast<size_t>(n); ++i) {
      if (i == best) continue;
      simplex[i] = simplex[best] + 0.5 * (simplex[i] - simplex[best]);
      values[i] = evaluate(simplex[i]);
    }
  }
  const auto best = std::min_element(values.begin(), values.end()) - values.begin();
  result.minimum = simplex[best];
  result.value = values[best];
  return result;
}

}  // namespace futureim::ml
