#include "generate/promotion_rule.h"

#include <algorithm>

namespace futureim::generate {

int64_t PromotionRule::DiscountCents(int64_t subtotal_cents) const {
  int64_t discount = percentage ? subtotal_cents * value / 100 : value;
  if (max_discount_cents > 0) discount = std::min(discount, max_discount_cents);
  return std::min(discount, subtotal_cents);
}

double PromotionDemandFactor(int active_codes) {
  return 1.0 + kPromotionDemandLiftPerCode * std::min(active_codes, 3);
}

}  // namespace futureim::generate
