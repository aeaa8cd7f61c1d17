#include "generate/review_rating.h"

#include <algorithm>
#include <cmath>

namespace futureim::generate {
namespace {

constexpr const char* kReviewTitles[5][3] = {
    {"Very disappointed", "Broke quickly", "Not as described"},
    {"Below expectations", "Meh", "Would not buy again"},
    {"It's okay", "Average", "Does the job"},
    {"Good value", "Happy with it", "Solid purchase"},
    {"Excellent!", "Love it", "Exceeded expectations"}};
constexpr const char* kReviewTexts[5] = {
    "Stopped working after a few days and support was not helpful.",
    "Quality is lower than I hoped for the price.", "Works as expected, nothing special.",
    "Good quality and arrived on time. Would recommend.",
    "Fantastic product, great quality and fast delivery. Five stars."};

}  // namespace

int SampleRating(Random& random, double mean) {
  return static_cast<int>(std::clamp<double>(std::round(random.Normal(mean, 0.9)), 1, 5));
}

ReviewWords SampleReviewWords(Random& random, int rating) {
  const size_t stars = static_cast<size_t>(std::clamp(rating, 1, 5)) - 1;
  return {kReviewTitles[stars][random.UniformInt(0, 2)], kReviewTexts[stars]};
}

}  // namespace futureim::generate
