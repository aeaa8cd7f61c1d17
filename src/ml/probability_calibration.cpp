#include "ml/probability_calibration.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "core/error.h"

namespace futureim::ml {
namespace {

void Validate(const std::vector<double>& scores, const std::vector<int>& labels) {
  if (scores.size() != labels.size()) {
    throw core::Error("calibration: " + std::to_string(scores.size()) + " scores but " +
                      std::to_string(labels.size()) + " labels");
  }
  if (scores.size() < 10) throw core::Error("calibration: needs at least 10 held-out rows");
  size_t positives = 0;
  for (size_t i = 0; i < scores.size(); ++i) {
    if (labels[i] != 0 && labels[i] != 1) throw core::Error("calibration: labels must be 0 or 1");
    if (!std::isfinite(scores[i])) throw core::Error("calibration: a score is NaN or infinite");
    positives += static_cast<size_t>(labels[i]);
  }
  if (positives == 0 || positives == scores.size()) {
    throw core::Error("calibration: the held-out rows contain only one class");
  }
}

}  // namespace

PlattCalibration PlattCalibration::Fit(const std::vector<double>& scores,
                                       const std::vector<int>& labels) {
  Validate(scores, labels);
  const double positives = std::accumulate(labels.begin(), labels.end(), 0.0);
  const double negatives = static_cast<double>(labels.size()) - positives;
  const double high = (positives + 1) / (positives + 2);
  const double low = 1 / (negatives + 2);
  // Newton–Raphson with a Levenberg-style ridge (Lin, Lin & Weng 2007).
  double a = 0, b = std::log((negatives + 1) / (positives + 1));
  const auto loss = [&](double aa, double bb) {
    double total = 0;
    for (size_t i = 0; i < scores.size(); ++i) {
      const double t = labels[i] ? high : low;
      const double f = aa * scores[i] + bb;
      // log(1 + e^f) − (1 − t)·f written stably
      total += (f >= 0 ? f + std::log1p(std::exp(-f)) : std::log1p(std::exp(f))) - (1 - t) * f;
    }
    return total;
  };
  double current = loss(a, b);
  for (int iteration = 0; iteration < 100; ++iteration) {
    double h11 = 1e-12, h22 = 1e-12, h21 = 0, g1 = 0, g2 = 0;
    for (size_t i = 0; i < scores.size(); ++i) {
      const double t = labels[i] ? high : low;
      const double f = a * scores[i] + b;
      const double p = f >= 0 ? std::exp(-f) / (1 + std::exp(-f)) : 1 / (1 + std::exp(f));
      const double d2 = p * (1 - p);
      h11 += scores[i] * scores[i] * d2;
      h22 += d2;
      h21 += scores[i] * d2;
      const double d1 = t - p;
      g1 += scores[i] * d1;
      g2 += d1;
    }
    if (std::abs(g1) < 1e-9 && std::abs(g2) < 1e-9) break;
    const double det = h11 * h22 - h21 * h21;
    const double da = -(h22 * g1 - h21 * g2) / det;
    const double db = -(-h21 * g1 + h11 * g2) / det;
    const double gd = g1 * da + g2 * db;
    double step = 1;
    while (step >= 1e-10) {
      const double next = loss(a + step * da, b + step * db);
      if (next < current + 1e-4 * step * gd) {
        a += step * da;
        b += step * db;
        current = next;
        break;
      }
      step /= 2;
    }
    if (step < 1e-10) break;
  }
  PlattCalibration calibration;
  calibration.a_ = a;
  calibration.b_ = b;
  return calibration;
}

double PlattCalibration::Apply(double score) const {
  const double f = a_ * score + b_;
  return f >= 0 ? std::exp(-f) / (1 + std::exp(-f)) : 1 / (1 + std::exp(f));
}

IsotonicCalibration IsotonicCalibration::Fit(const std::vector<double>& scores,
                                             const std::vector<int>& labels) {
  Validate(scores, labels);
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t i, size_t j) { return scores[i] < scores[j]; });
  // Blocks of (mean score, mean label, weight), merged while they violate monotonicity.
  struct Block {
    double x, y, w;
  };
  std::vector<Block> blocks;
  for (const size_t i : order) {
    blocks.push_back({scores[i], static_cast<double>(labels[i]), 1});
    while (blocks.size() > 1 && blocks[blocks.size() - 2].y >= blocks.back().y) {
      const Block last = blocks.back();
      blocks.pop_back();
      Block& merged = blocks.back();
      const double w = merged.w + last.w;
      merged.x = (merged.x * merged.w + last.x * last.w) / w;
      merged.y = (merged.y * merged.w + last.y * last.w) / w;
      merged.w = w;
    }
  }
  IsotonicCalibration calibration;
  for (const auto& block : blocks) {
    calibration.x_.push_back(block.x);
    calibration.y_.push_back(block.y);
  }
  return calibration;
}

double IsotonicCalibration::Apply(double score) const {
  if (x_.empty()) return 0.5;
  if (!(score > x_.front())) return y_.front();
  if (score >= x_.back()) return y_.back();
  const size_t hi = static_cast<size_t>(std::upper_bound(x_.begin(), x_.end(), score) - x_.begin());
  const size_t lo = hi - 1;
  const double t = (score - x_[lo]) / (x_[hi] - x_[lo]);
  return y_[lo] + t * (y_[hi] - y_[lo]);
}

}  // namespace futureim::ml
