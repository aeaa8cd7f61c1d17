#include "ml/kmeans.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <stdexcept>
#include <string>

#include "core/error.h"

namespace futureim::ml {
namespace {

void RequireFinite(const Eigen::MatrixXd& points) {
  if (!points.allFinite()) {
    throw core::Error("k-means: the points contain NaN or infinite values");
  }
}

// Renumbers labels in order of first appearance and permutes the centroids to
// match, so equal partitions get equal numbers.
void CanonicalizeLabels(KMeansModel& model) {
  const int k = static_cast<int>(model.centroids.rows());
  std::vector<int> mapping(k, -1);
  int next = 0;
  for (const int label : model.labels) {
    if (mapping[label] < 0) mapping[label] = next++;
  }
  for (int c = 0; c < k; ++c) {
    if (mapping[c] < 0) mapping[c] = next++;
  }
  Eigen::MatrixXd centroids(k, model.centroids.cols());
  for (int c = 0; c < k; ++c) centroids.row(mapping[c]) = model.centroids.row(c);
  model.centroids = std::move(centroids);
  for (int& label : model.labels) label = mapping[label];
}

// k-means++: each next seed is drawn with probability proportional to the
// squared distance to the nearest seed so far.
Eigen::MatrixXd SeedPlusPlus(const Eigen::MatrixXd& points, int k, std::mt19937_64& random) {
  const Eigen::Index n = points.rows();
  Eigen::MatrixXd centroids(k, points.cols());
  std::uniform_int_distribution<Eigen::Index> first(0, n - 1);
  centroids.row(0) = points.row(first(random));
  Eigen::VectorXd nearest = (points.rowwise() - centroids.row(0)).rowwise().squaredNorm();
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int c = 1; c < k; ++c) {
    const double total = nearest.sum();
    Eigen::Index chosen = 0;
    if (total > 0) {
      double target = unit(random) * total;
      for (chosen = 0; chosen < n - 1; ++chosen) {
        target -= nearest[chosen];
        if (target <= 0) break;
      }
    } else {
      chosen = first(random);  // all remaining points coincide with a seed
    }
    centroids.row(c) = points.row(chosen);
    nearest = nearest.cwiseMin((points.rowwise() - centroids.row(c)).rowwise().squaredNorm());
  }
  return centroids;
}

KMeansModel Lloyd(const Eigen::MatrixXd& points, Eigen::MatrixXd centroids,
                  const KMeansOptions& options) {
  const Eigen::Index n = points.rows();
  const int k = static_cast<int>(centroids.rows());
  KMeansModel model;
  model.labels.assign(n, 0);
  double previous = std::numeric_limits<double>::infinity();
  for (int iteration = 0; iteration < options.max_iterations; ++iteration) {
    double inertia = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
      Eigen::Index best = 0;
      const double distance =
          (centroids.rowwise() - points.row(i)).rowwise().squaredNorm().minCoeff(&best);
      model.labels[i] = static_cast<int>(best);
      inertia += distance;
    }
    Eigen::MatrixXd sums = Eigen::MatrixXd::Zero(k, points.cols());
    std::vector<int> counts(k, 0);
    for (Eigen::Index i = 0; i < n; ++i) {
      sums.row(model.labels[i]) += points.row(i);
      ++counts[model.labels[i]];
    }
    for (int c = 0; c < k; ++c) {
      if (counts[c] > 0) {
        centroids.row(c) = sums.row(c) / counts[c];
      } else {
        // An empty cluster takes the point farthest from its centroid.
        Eigen::Index far = 0;
        Eigen::VectorXd d(n);
        for (Eigen::Index i = 0; i < n; ++i) {
          d[i] = (points.row(i) - centroids.row(model.labels[i])).squaredNorm();
        }
        d.maxCoeff(&far);
        centroids.row(c) = points.row(far);
        model.labels[far] = c;
      }
    }
    model.inertia = inertia;
    if (previous - inertia <= options.tolerance * std::max(previous, 1e-300)) break;
    previous = inertia;
  }
  // Final assignment against the final centroids.
  model.inertia = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    Eigen::Index best = 0;
    model.inertia += (centroids.rowwise() - points.row(i)).rowwise().squaredNorm().minCoeff(&best);
    model.labels[i] = static_cast<int>(best);
  }
  model.centroids = std::move(centroids);
  return model;
}

}  // namespace

KMeansModel FitKMeans(const Eigen::MatrixXd& points, int k, const KMeansOptions& options) {
  if (k < 1 || k > points.rows()) {
    throw core::Error("k-means: k = " + std::to_string(k) + " needs between 1 and " +
                      std::to_string(points.rows()) + " clusters for " +
                      std::to_string(points.rows()) + " points");
  }
  RequireFinite(points);
  std::mt19937_64 random(options.seed);
  KMeansModel best;
  best.inertia = std::numeric_limits<double>::infinity();
  for (int restart = 0; restart < std::max(1, options.restarts); ++restart) {
    KMeansModel model = Lloyd(points, SeedPlusPlus(points, k, random), options);
    if (model.inertia < best.inertia) best = std::move(model);
  }
  CanonicalizeLabels(best);
  return best;
}

std::vector<int> AssignToCentroids(const Eigen::MatrixXd& points,
                                   const Eigen::MatrixXd& centroids) {
  std::vector<int> labels(points.rows());
  for (Eigen::Index i = 0; i < points.rows(); ++i) {
    Eigen::Index best = 0;
    (centroids.rowwise() - points.row(i)).rowwise().squaredNorm().minCoeff(&best);
    labels[i] = static_cast<int>(best);
  }
  return labels;
}

double SilhouetteScore(const Eigen::MatrixXd& points, const std::vector<int>& labels,
                       int max_points) {
  const Eigen::Index n = points.rows();
  if (static_cast<Eigen::Index>(labels.size()) != n) {
    throw std::logic_error("SilhouetteScore: one label per point");
  }
  const Eigen::Index stride =
      std::max<Eigen::Index>(1, (n + max_points - 1) / std::max(1, max_points));
  std::vector<Eigen::Index> sample;
  for (Eigen::Index i = 0; i < n; i += stride) sample.push_back(i);
  const int k = labels.empty() ? 0 : *std::max_element(labels.begin(), labels.end()) + 1;
  if (k < 2) return 0;
  double total = 0;
  std::vector<double> sum(k);
  std::vector<int> count(k);
  for (const Eigen::Index i : sample) {
    std::fill(sum.begin(), sum.end(), 0.0);
    std::fill(count.begin(), count.end(), 0);
    for (const Eigen::Index j : sample) {
      if (j == i) continue;
      sum[labels[j]] += (points.row(i) - points.row(j)).norm();
      ++count[labels[j]];
    }
    const int own = labels[i];
    if (count[own] == 0) continue;  // a singleton scores 0 by convention
    const double a = sum[own] / count[own];
    double b = std::numeric_limits<double>::infinity();
    for (int c = 0; c < k; ++c) {
      if (c != own && count[c] > 0) b = std::min(b, sum[c] / count[c]);
    }
    if (!std::isfinite(b)) continue;
    const double denominator = std::max(a, b);
    total += denominator > 0 ? (b - a) / denominator : 0;
  }
  return total / static_cast<double>(sample.size());
}

AutoKMeansResult FitKMeansAutoK(const Eigen::MatrixXd& points, int k_min, int k_max,
                                const KMeansOptions& options) {
  k_min = std::max(k_min, 2);
  k_max = std::min<int>(k_max, static_cast<int>(points.rows()) - 1);
  if (k_max < k_min) {
    throw core::Error("k-means: automatic k needs at least " + std::to_string(k_min + 1) +
                      " points, got " + std::to_string(points.rows()));
  }
  AutoKMeansResult result;
  std::vector<KMeansModel> models;
  for (int k = k_min; k <= k_max; ++k) {
    models.push_back(FitKMeans(points, k, options));
    result.candidates.push_back(
        {k, models.back().inertia, SilhouetteScore(points, models.back().labels)});
  }
  const auto& c = result.candidates;
  // Elbow: the point of the inertia curve farthest from the chord joining its
  // ends (both axes normalised to [0, 1]).
  result.elbow_k = c.front().k;
  if (c.size() >= 3) {
    const double span_inertia = std::max(c.front().inertia - c.back().inertia, 1e-300);
    const double span_k = static_cast<double>(c.back().k - c.front().k);
    double best = -1;
    for (const auto& candidate : c) {
      const double x = (candidate.k - c.front().k) / span_k;
      const double y = (c.front().inertia - candidate.inertia) / span_inertia;
      if (y - x > best) {
        best = y - x;
        result.elbow_k = candidate.k;
      }
    }
  }
  double best_silhouette = -2;
  for (const auto& candidate : c) {
    if (candidate.silhouette > best_silhouette) {
      best_silhouette = candidate.silhouette;
      result.silhouette_k = candidate.k;
    }
  }
  double best_in_window = -2;
  for (const auto& candidate : c) {
    if (std::abs(candidate.k - result.elbow_k) <= 1 && candidate.silhouette > best_in_window) {
      best_in_window = candidate.silhouette;
      result.chosen_k = candidate.k;
    }
  }
  result.model = std::move(models[result.chosen_k - c.front().k]);
  return result;
}

StandardScaling StandardScaling::Fit(const Eigen::MatrixXd& points) {
  StandardScaling scaling;
  scaling.mean = points.colwise().mean();
  const Eigen::MatrixXd centred = points.rowwise() - scaling.mean;
  scaling.scale =
      (centred.array().square().colwise().sum() / std::max<Eigen::Index>(1, points.rows()))
          .sqrt()
          .matrix();
  for (Eigen::Index j = 0; j < scaling.scale.size(); ++j) {
    if (!(scaling.scale[j] > 0)) scaling.scale[j] = 1;
  }
  return scaling;
}

Eigen::MatrixXd StandardScaling::Apply(const Eigen::MatrixXd& points) const {
  return ((points.rowwise() - mean).array().rowwise() / scale.array()).matrix();
}

double AdjustedRandIndex(const std::vector<int>& a, const std::vector<int>& b) {
  if (a.size() != b.size()) throw std::logic_error("AdjustedRandIndex: labelings differ in size");
  const auto choose2 = [](double x) { return x * (x - 1) / 2; };
  std::map<std::pair<int, int>, double> joint;
  std::map<int, double> rows, cols;
  for (size_t i = 0; i < a.size(); ++i) {
    ++joint[{a[i], b[i]}];
    ++rows[a[i]];
    ++cols[b[i]];
  }
  double index = 0, sum_rows = 0, sum_cols = 0;
  for (const auto& [key, count] : joint) index += choose2(count);
  for (const auto& [key, count] : rows) sum_rows += choose2(count);
  for (const auto& [key, count] : cols) sum_cols += choose2(count);
  const double expected =
      sum_rows * sum_cols / std::max(choose2(static_cast<double>(a.size())), 1.0);
  const double maximum = (sum_rows + sum_cols) / 2;
  if (maximum == expected) return 1.0;  // both partitions trivial and equal
  return (index - expected) / (maximum - expected);
}

}  // namespace futureim::ml
