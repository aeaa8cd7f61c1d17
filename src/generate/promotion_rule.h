#pragma once

#include <cstdint>

namespace futureim::generate {

// What a promotion code gives an order (the promotions table's discount
// columns): a percentage of the items' subtotal (before tax) or a fixed
// amount, only from a minimum purchase, capped by a maximum discount, never
// more than the subtotal. The fill and live trading apply codes through here.
struct PromotionRule {
  bool percentage = true;
  int64_t value = 0;               // whole percent, or cents when fixed
  int64_t min_purchase_cents = 0;  // 0: none
  int64_t max_discount_cents = 0;  // 0: none

  bool AppliesTo(int64_t subtotal_cents) const { return subtotal_cents >= min_purchase_cents; }
  int64_t DiscountCents(int64_t subtotal_cents) const;
};

// Demand rises with the promotion codes that are active: × (1 + 0.10 per
// code, at most 3 codes). The truth's promotion factor is this value.
inline constexpr double kPromotionDemandLiftPerCode = 0.10;
double PromotionDemandFactor(int active_codes);

// Of the active codes an order could use, the chance that it uses the first
// one that applies.
inline constexpr double kPromotionUseProbability = 0.25;

}  // namespace futureim::generate
