#include "systems/compliance/fraud_review_store.h"

#include <stdexcept>

namespace futureim::systems::compliance {

ReviewVerdict ParseReviewVerdict(std::string_view text) {
  if (text == "confirmed") return ReviewVerdict::kConfirmed;
  if (text == "dismissed") return ReviewVerdict::kDismissed;
  throw std::invalid_argument("a review's verdict is \"confirmed\" or \"dismissed\"");
}

void FraudReviewStore::Record(std::string_view order_id, ReviewVerdict verdict,
                              std::string_view reviewer, std::string_view notes,
                              int64_t reviewed_at_ms) {
  if (order_id.empty()) throw std::invalid_argument("a review needs the order it judges");
  metadata_.database()
      .Prepare(
          "INSERT INTO fraud_reviews (order_id, verdict, reviewer, notes, reviewed_at) VALUES (?1, "
          "?2, ?3, ?4, ?5) "
          "ON CONFLICT (order_id) DO UPDATE SET verdict = excluded.verdict, reviewer = "
          "excluded.reviewer, "
          "notes = excluded.notes, reviewed_at = excluded.reviewed_at")
      .Bind(1, order_id)
      .Bind(2, verdict == ReviewVerdict::kConfirmed ? std::string_view("confirmed")
                                                    : std::string_view("dismissed"))
      .Bind(3, reviewer)
      .Bind(4, notes)
      .Bind(5, reviewed_at_ms)
      .Step();
}

std::vector<AnalystReview> FraudReviewStore::All() {
  auto statement =
      metadata_.database().Prepare("SELECT order_id, verdict FROM fraud_reviews ORDER BY order_id");
  std::vector<AnalystReview> reviews;
  while (statement.Step())
    reviews.push_back({statement.GetText(0), statement.GetText(1) == "confirmed"});
  return reviews;
}

}  // namespace futureim::systems::compliance
