#include "generate/random.h"

#include <numbers>
#include <stdexcept>

namespace futureim::generate {
namespace {

uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// GCC and Clang's 128-bit integer, for Lemire's multiply-shift.
__extension__ typedef unsigned __int128 Uint128;

uint64_t RotateLeft(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

uint64_t HashLabel(std::string_view label) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : label) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

Random::Random(uint64_t seed) : seed_(seed) {
  uint64_t sm = seed;
  for (auto& word : state_) word = SplitMix64(sm);
}

Random Random::Fork(std::string_view label, uint64_t index) const {
  uint64_t mix = seed_ ^ RotateLeft(HashLabel(label), 17) ^ (index * 0xd1342543de82ef95ULL);
  return Random(SplitMix64(mix));
}

uint64_t Random::NextU64() {
  const uint64_t result = RotateLeft(state_[1] * 5, 7) * 9;
  const uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = RotateLeft(state_[3], 45);
  return result;
}

double Random::Uniform() { return static_cast<double>(NextU64() >> 11) * 0x1.0p-53; }

int64_t Random::UniformInt(int64_t low, int64_t high) {
  if (high <= low) return low;
  const uint64_t range = static_cast<uint64_t>(high - low) + 1;
  if (range == 0) return static_cast<int64_t>(NextU64());  // the full 64-bit range
  // Lemire's rejection keeps every value equally likely.
  const uint64_t limit = -range % range;
  while (true) {
    const uint64_t x = NextU64();
    const Uint128 product = static_cast<Uint128>(x) * range;
    if (static_cast<uint64_t>(product) >= limit) {
      return low + static_cast<int64_t>(product >> 64);
    }
  }
}

double Random::Normal() {
  if (has_spare_normal_) {
    has_spare_normal_ = false;
    return spare_normal_;
  }
  double u1 = Uniform();
  while (u1 <= 0.0) u1 = Uniform();
  const double u2 = Uniform();
  const double radius = std::sqrt(-2.0 * std::log(u1));
  const double angle = 2.0 * std::numbers::pi * u2;
  spare_normal_ = radius * std::sin(angle);
  has_spare_normal_ = true;
  return radius * std::cos(angle);
}

double Random::Exponential(double rate) {
  double u = Uniform();
  while (u <= 0.0) u = Uniform();
  return -std::log(u) / rate;
}

int64_t Random::Poisson(double mean) {
  if (!(mean > 0)) return 0;
  if (mean > 30) {
    const double x = std::round(Normal(mean, std::sqrt(mean)));
    return x < 0 ? 0 : static_cast<int64_t>(x);
  }
  const double limit = std::exp(-mean);
  int64_t count = 0;
  double product = Uniform();
  while (product > limit) {
    ++count;
    product *= Uniform();
  }
  return count;
}

int64_t Random::Geometric(double success_probability) {
  if (success_probability >= 1) return 0;
  double u = Uniform();
  while (u <= 0.0) u = Uniform();
  return static_cast<int64_t>(std::floor(std::log(u) / std::log1p(-success_probability)));
}

size_t Random::WeightedIndex(std::span<const double> weights) {
  double total = 0;
  for (double w : weights) total += w;
  double x = Uniform() * total;
  for (size_t i = 0; i < weights.size(); ++i) {
    if (x < weights[i]) return i;
    x -= weights[i];
  }
  return weights.empty() ? 0 : weights.size() - 1;
}

std::string Random::Uuid(int64_t unix_millis) {
  const uint64_t time = static_cast<uint64_t>(unix_millis) & 0xffffffffffffULL;
  const uint64_t high = (time << 16) | 0x7000 | (NextU64() & 0x0fff);
  const uint64_t low = (NextU64() & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text(36, '-');
  size_t pos = 0;
  auto put = [&](uint64_t value, int nibbles) {
    for (int i = nibbles - 1; i >= 0; --i) {
      if (pos == 8 || pos == 13 || pos == 18 || pos == 23) ++pos;
      text[pos++] = kHex[(value >> (4 * i)) & 0xf];
    }
  };
  put(high, 16);
  put(low, 16);
  return text;
}

AliasTable::AliasTable(std::span<const double> weights) {
  const size_t n = weights.size();
  if (n == 0) throw std::invalid_argument("AliasTable needs at least one weight");
  double total = 0;
  for (double w : weights) total += w;
  probability_.assign(n, 0);
  alias_.assign(n, 0);
  std::vector<double> scaled(n);
  std::vector<uint32_t> small, large;
  for (size_t i = 0; i < n; ++i) {
    scaled[i] = weights[i] * static_cast<double>(n) / total;
    (scaled[i] < 1.0 ? small : large).push_back(static_cast<uint32_t>(i));
  }
  while (!small.empty() && !large.empty()) {
    const uint32_t s = small.back();
    small.pop_back();
    const uint32_t l = large.back();
    probability_[s] = scaled[s];
    alias_[s] = l;
    scaled[l] = (scaled[l] + scaled[s]) - 1.0;
    if (scaled[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  for (uint32_t i : large) probability_[i] = 1.0;
  for (uint32_t i : small) probability_[i] = 1.0;
}

size_t AliasTable::Sample(Random& random) const {
  const size_t column =
      static_cast<size_t>(random.UniformInt(0, static_cast<int64_t>(probability_.size()) - 1));
  return random.Uniform() < probability_[column] ? column : alias_[column];
}

}  // namespace futureim::generate
