#pragma once

#include <string_view>

#include "generate/random.h"

namespace futureim::generate {

// How a review's stars follow the product: a rating is round(N(mean, 0.9))
// clamped to 1…5, where mean is the product's quality (2.6–4.8 in the fill),
// lowered for a returned order or a reviewer who did not buy. The fill and
// live reviews both draw through here, so ratings keep tracking quality.
int SampleRating(Random& random, double mean);

struct ReviewWords {
  std::string_view title;
  std::string_view text;
};
// A title and text that match the stars (rating 1…5).
ReviewWords SampleReviewWords(Random& random, int rating);

}  // namespace futureim::generate
