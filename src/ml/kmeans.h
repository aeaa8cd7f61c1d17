#pragma once

#include <cstdint>
#include <vector>

#include <Eigen/Dense>

namespace futureim::ml {

// k-means clustering (Lloyd's algorithm from k-means++ seeds, best of several
// restarts) and the choice of k. Points are the rows of a matrix; callers
// scale the columns first (StandardScaling) so no feature dominates.
//
// Determinism: the same points, k and seed give the same labels on the same
// build (one std::mt19937_64 per call, no global state). Labels are
// renumbered by first appearance so two runs that find the same partition
// report the same numbers.

struct KMeansOptions {
  int restarts = 10;
  int max_iterations = 300;
  double tolerance = 1e-8;  // stop when the inertia improves by less than this fraction
  uint64_t seed = 42;
};

struct KMeansModel {
  Eigen::MatrixXd centroids;  // k × d
  std::vector<int> labels;    // one per point, 0..k-1
  double inertia = 0;         // sum of squared distances to the assigned centroid
};

// Throws core::Error when k < 1, k > number of points, or a value is not finite.
KMeansModel FitKMeans(const Eigen::MatrixXd& points, int k, const KMeansOptions& options);

// The index of the nearest centroid for each row.
std::vector<int> AssignToCentroids(const Eigen::MatrixXd& points, const Eigen::MatrixXd& centroids);

// Mean silhouette coefficient in [-1, 1]. O(n²): above max_points the score
// is computed on an evenly strided subset (deterministic, seed-free, so the
// choice of k does not move with the seed).
double SilhouetteScore(const Eigen::MatrixXd& points, const std::vector<int>& labels,
                       int max_points = 3000);

struct KCandidate {
  int k = 0;
  double inertia = 0;
  double silhouette = 0;
};

struct AutoKMeansResult {
  KMeansModel model;  // fitted with the chosen k
  int chosen_k = 0;
  int elbow_k = 0;       // largest distance from the chord of the inertia curve
  int silhouette_k = 0;  // best silhouette
  std::vector<KCandidate> candidates;
};

// Fits k = k_min..k_max (capped at points − 1) and picks k: the best
// silhouette among the k within one of the elbow. Silhouette alone tends to
// favour 2 clusters on skewed customer data; the elbow alone ignores
// separation; the window combines them. Throws core::Error for fewer than
// k_min + 1 points.
AutoKMeansResult FitKMeansAutoK(const Eigen::MatrixXd& points, int k_min, int k_max,
                                const KMeansOptions& options);

// Column-wise standardisation to mean 0 and variance 1 (a constant column is
// centred and left unscaled).
struct StandardScaling {
  Eigen::RowVectorXd mean;
  Eigen::RowVectorXd scale;

  static StandardScaling Fit(const Eigen::MatrixXd& points);
  Eigen::MatrixXd Apply(const Eigen::MatrixXd& points) const;
};

// Adjusted Rand index of two labelings of the same points (1 = identical
// partitions up to renaming, ~0 = chance agreement).
double AdjustedRandIndex(const std::vector<int>& a, const std::vector<int>& b);

}  // namespace futureim::ml
