#include "systems/demand_insights/customer_segmentation.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.h"

namespace futureim::systems::demand_insights {
namespace {

// Mid-rank percentile of each value (ties share their average rank), scaled to 1..5.
std::vector<double> RankScores(const std::vector<double>& values) {
  const size_t n = values.size();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return values[a] < values[b]; });
  std::vector<double> scores(n);
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && values[order[j]] == values[order[i]]) ++j;
    const double mid_rank = (static_cast<double>(i + j) - 1) / 2;  // 0-based
    for (size_t k = i; k < j; ++k) {
      scores[order[k]] = 1 + 4 * (n > 1 ? mid_rank / static_cast<double>(n - 1) : 0.5);
    }
    i = j;
  }
  return scores;
}

}  // namespace

std::string SegmentName(double r, double f, double /*m: ranks with f, kept for the API*/) {
  if (r >= 4 && f >= 4) return "Champions";
  if (f >= 3.5 && r >= 3) return "Loyal";
  if (r >= 3.5 && f >= 2.5) return "Potential Loyalists";
  if (r >= 4 && f < 2) return "New";
  if (r >= 3) return "Promising";
  if (r < 2.5 && f >= 3) return "At Risk";
  if (r < 1.8) return "Lost";
  return "Hibernating";
}

CustomerSegmentation SegmentCustomers(const std::vector<CustomerActivity>& customers,
                                      int64_t as_of_day, uint64_t seed, int fixed_k) {
  if (customers.size() < 10) {
    throw core::Error("segmentation: needs at least 10 customers with purchases, got " +
                      std::to_string(customers.size()));
  }
  if (fixed_k != 0 && (fixed_k < 2 || fixed_k > 10)) {
    throw core::Error("segmentation: n_clusters must be 0 (automatic) or between 2 and 10");
  }
  const size_t n = customers.size();
  Eigen::MatrixXd features(n, 3);
  std::vector<double> recency(n), frequency(n), monetary(n);
  for (size_t i = 0; i < n; ++i) {
    recency[i] = customers[i].RecencyDays(as_of_day);
    frequency[i] = customers[i].purchases;
    monetary[i] = customers[i].spend;
    features.row(i) << std::log1p(std::max(0.0, recency[i])), std::log1p(frequency[i]),
        std::log1p(std::max(0.0, monetary[i]));
  }
  const Eigen::MatrixXd scaled = ml::StandardScaling::Fit(features).Apply(features);
  ml::KMeansOptions options;
  options.seed = seed;
  CustomerSegmentation result;
  if (fixed_k != 0) {
    result.clustering.model =
        ml::FitKMeans(scaled, std::min<int>(fixed_k, static_cast<int>(n)), options);
    result.clustering.chosen_k = static_cast<int>(result.clustering.model.centroids.rows());
  } else {
    result.clustering = ml::FitKMeansAutoK(scaled, 2, 8, options);
  }
  result.labels = result.clustering.model.labels;
  // Recent is good: the recency score ranks the negated days.
  std::vector<double> negated(n);
  for (size_t i = 0; i < n; ++i) negated[i] = -recency[i];
  result.recency_score = RankScores(negated);
  result.frequency_score = RankScores(frequency);
  result.monetary_score = RankScores(monetary);
  const int k = result.clustering.chosen_k;
  std::vector<double> r(k), f(k), m(k), count(k);
  for (size_t i = 0; i < n; ++i) {
    const int s = result.labels[i];
    r[s] += result.recency_score[i];
    f[s] += result.frequency_score[i];
    m[s] += result.monetary_score[i];
    ++count[s];
  }
  for (int s = 0; s < k; ++s) {
    const double c = std::max(count[s], 1.0);
    result.names.push_back(SegmentName(r[s] / c, f[s] / c, m[s] / c));
  }
  return result;
}

nlohmann::json CustomerSegmentation::Quality() const {
  nlohmann::json candidates = nlohmann::json::array();
  for (const auto& c : clustering.candidates) {
    candidates.push_back({{"k", c.k}, {"inertia", c.inertia}, {"silhouette", c.silhouette}});
  }
  return {{"k", clustering.chosen_k},
          {"elbow_k", clustering.elbow_k},
          {"silhouette_k", clustering.silhouette_k},
          {"inertia", clustering.model.inertia},
          {"candidates", candidates}};
}

}  // namespace futureim::systems::demand_insights
