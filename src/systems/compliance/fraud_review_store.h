#pragma once

// Analysts' verdicts on fraud detections, kept in the metadata database
// (table fraud_reviews): the one piece of Compliance Guardian state that is
// not derived from the lake. A verdict is per order; a later one replaces an
// earlier one. The batch run reads them all to train its supervised model.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "metadata/metadata_db.h"
#include "systems/compliance/fraud_scoring.h"

namespace futureim::systems::compliance {

enum class ReviewVerdict { kConfirmed, kDismissed };

// "confirmed" / "dismissed"; throws std::invalid_argument for anything else.
ReviewVerdict ParseReviewVerdict(std::string_view text);

class FraudReviewStore {
 public:
  explicit FraudReviewStore(metadata::MetadataDb& metadata) : metadata_(metadata) {}

  void Record(std::string_view order_id, ReviewVerdict verdict, std::string_view reviewer,
              std::string_view notes, int64_t reviewed_at_ms);
  std::vector<AnalystReview> All();

 private:
  metadata::MetadataDb& metadata_;
};

}  // namespace futureim::systems::compliance
