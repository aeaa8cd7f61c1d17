#include "ml/nelder_mead.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace futureim::ml {
namespace {

double Finite(double value) {
  return std::isfinite(value) ? value : std::numeric_limits<double>::infinity();
}

}  // namespace

NelderMeadResult MinimizeNelderMead(
    const std::function<double(const std::vector<double>&)>& objective, std::vector<double> start,
    const std::vector<double>& step, int max_evaluations, double tolerance) {
  const size_t n = start.size();
  NelderMeadResult result;
  if (n == 0) {
    result.minimum = Finite(objective(start));
    result.evaluations = 1;
    return result;
  }
  std::vector<std::vector<double>> simplex(n + 1, start);
  std::vector<double> values(n + 1);
  for (size_t i = 0; i < n; ++i) simplex[i + 1][i] += step[i];
  int evaluations = 0;
  auto evaluate = [&](const std::vector<double>& x) {
    ++evaluations;
    return Finite(objective(x));
  };
  for (size_t i = 0; i <= n; ++i) values[i] = evaluate(simplex[i]);
  std::vector<size_t> order(n + 1);
  while (evaluations < max_evaluations) {
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return values[a] < values[b]; });
    const size_t best = order.front();
    const size_t worst = order.back();
    const size_t second_worst = order[n - 1];
    const double spread = std::abs(values[worst] - values[best]);
    if (std::isfinite(values[worst]) &&
        spread <= tolerance * (std::abs(values[best]) + std::abs(values[worst]) + 1e-12)) {
      break;
    }
    std::vector<double> centroid(n, 0.0);
    for (size_t i = 0; i <= n; ++i) {
      if (i == worst) continue;
      for (size_t j = 0; j < n; ++j) centroid[j] += simplex[i][j] / static_cast<double>(n);
    }
    auto along = [&](double coefficient) {
      std::vector<double> x(n);
      for (size_t j = 0; j < n; ++j)
        x[j] = centroid[j] + coefficient * (simplex[worst][j] - centroid[j]);
      return x;
    };
    std::vector<double> reflected = along(-1.0);
    const double reflected_value = evaluate(reflected);
    if (reflected_value < values[best]) {
      std::vector<double> expanded = along(-2.0);
      const double expanded_value = evaluate(expanded);
      if (expanded_value < reflected_value) {
        simplex[worst] = std::move(expanded);
        values[worst] = expanded_value;
      } else {
        simplex[worst] = std::move(reflected);
        values[worst] = reflected_value;
      }
      continue;
    }
    if (reflected_value < values[second_worst]) {
      simplex[worst] = std::move(reflected);
      values[worst] = reflected_value;
      continue;
    }
    const bool outside = reflected_value < values[worst];
    std::vector<double> contracted = along(outside ? -0.5 : 0.5);
    const double contracted_value = evaluate(contracted);
    if (contracted_value < std::min(reflected_value, values[worst])) {
      simplex[worst] = std::move(contracted);
      values[worst] = contracted_value;
      continue;
    }
    for (size_t i = 0; i <= n; ++i) {  // shrink towards the best vertex
      if (i == best) continue;
      for (size_t j = 0; j < n; ++j)
        simplex[i][j] = simplex[best][j] + 0.5 * (simplex[i][j] - simplex[best][j]);
      values[i] = evaluate(simplex[i]);
    }
  }
  const size_t best =
      static_cast<size_t>(std::min_element(values.begin(), values.end()) - values.begin());
  result.argmin = simplex[best];
  result.minimum = values[best];
  result.evaluations = evaluations;
  return result;
}

}  // namespace futureim::ml
