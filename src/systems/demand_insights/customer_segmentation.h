#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ml/kmeans.h"
#include "systems/demand_insights/customer_activity.h"

namespace futureim::systems::demand_insights {

// RFM segmentation: k-means on standardised [log(1 + recency days),
// log(1 + purchases), log(1 + spend)] (logs because all three are heavily
// skewed), k chosen automatically (ml::FitKMeansAutoK, 2..8) unless given.
// Each segment gets a human name from its members' average RFM scores
// (1..5, the customer's percentile rank in the store scaled to 1..5; R is
// higher for more recent). Names may repeat when two clusters look alike.
struct CustomerSegmentation {
  std::vector<int> labels;                                             // one per customer, as given
  std::vector<std::string> names;                                      // one per segment
  std::vector<double> recency_score, frequency_score, monetary_score;  // one per customer
  ml::AutoKMeansResult clustering;
  nlohmann::json Quality() const;  // k, elbow k, silhouette k, per-k inertia and silhouette
};

// Throws core::Error with fewer than 10 customers, or a fixed_k outside 2..10.
CustomerSegmentation SegmentCustomers(const std::vector<CustomerActivity>& customers,
                                      int64_t as_of_day, uint64_t seed, int fixed_k = 0);

// The naming rules (first match wins), on segment-average scores 1..5:
// Champions R ≥ 4, F ≥ 4; Loyal F ≥ 3.5, R ≥ 3; Potential Loyalists R ≥ 3.5,
// F ≥ 2.5; New R ≥ 4, F < 2; Promising R ≥ 3; At Risk R < 2.5, F ≥ 3;
// Lost R < 1.8; Hibernating otherwise.
std::string SegmentName(double recency_score, double frequency_score, double monetary_score);

}  // namespace futureim::systems::demand_insights
