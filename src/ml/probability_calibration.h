#pragma once

#include <vector>

namespace futureim::ml {

// Maps a classifier's raw scores to calibrated probabilities, fitted on
// held-out scores and their 0/1 outcomes (never on the training rows, whose
// scores are over-confident).

// Platt scaling: p = 1 / (1 + exp(A·s + B)), fitted by Newton's method on the
// log loss with Platt's smoothed targets (robust when one class is rare).
class PlattCalibration {
 public:
  // Throws core::Error when the sizes differ, fewer than 10 rows, a label is
  // not 0/1, a score is not finite, or only one class is present.
  static PlattCalibration Fit(const std::vector<double>& scores, const std::vector<int>& labels);
  double Apply(double score) const;
  double slope() const { return a_; }
  double intercept() const { return b_; }

 private:
  double a_ = -1, b_ = 0;
};

// Isotonic regression (pool adjacent violators): the best monotone
// non-decreasing step function of the score; between steps it interpolates
// linearly, outside it clamps.
class IsotonicCalibration {
 public:
  static IsotonicCalibration Fit(const std::vector<double>& scores, const std::vector<int>& labels);
  double Apply(double score) const;

 private:
  std::vector<double> x_, y_;
};

}  // namespace futureim::ml
