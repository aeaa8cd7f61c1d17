#pragma once

#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace futureim::generate {

// The simulator's only source of randomness: xoshiro256** seeded through
// splitmix64. Every distribution is implemented here rather than taken from
// <random>, whose distributions are implementation-defined: the same seed must
// give byte-identical stores on every compiler and standard library.
//
// Independent streams: Fork(label) derives a new generator from this one's
// seed and a label without advancing this one, so adding draws to one part of
// the model (e.g. reviews) does not shift every later part (e.g. fraud).
class Random {
 public:
  explicit Random(uint64_t seed);

  // A generator for an independent stream named `label` (and an optional
  // index), a pure function of this generator's seed: it does not consume
  // draws from this one.
  Random Fork(std::string_view label, uint64_t index = 0) const;

  uint64_t NextU64();
  // Uniform in [0, 1) with 53 random bits.
  double Uniform();
  double Uniform(double low, double high) { return low + (high - low) * Uniform(); }
  // Uniform integer in [low, high] (inclusive), without modulo bias.
  int64_t UniformInt(int64_t low, int64_t high);
  bool Bernoulli(double probability) { return Uniform() < probability; }
  // Standard normal by Box–Muller (the spare value is kept).
  double Normal();
  double Normal(double mean, double stddev) { return mean + stddev * Normal(); }
  double LogNormal(double mu, double sigma) { return std::exp(Normal(mu, sigma)); }
  double Exponential(double rate);
  // Poisson: Knuth's product method for small means, a rounded normal
  // approximation (clamped at 0) for means above 30.
  int64_t Poisson(double mean);
  // Geometric number of failures before the first success (>= 0).
  int64_t Geometric(double success_probability);
  // An index drawn proportionally to `weights` (linear scan; for repeated
  // draws over a fixed table use AliasTable).
  size_t WeightedIndex(std::span<const double> weights);
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[static_cast<size_t>(UniformInt(0, static_cast<int64_t>(items.size()) - 1))];
  }
  // A version-7 style UUID string (RFC 9562 layout): 48 bits of
  // `unix_millis`, then random bits from this generator. Time-ordered keys
  // keep InnoDB's primary-key inserts near the end of the tree when rows are
  // loaded in time order, and remain unique because 74 bits are random.
  std::string Uuid(int64_t unix_millis);

  uint64_t seed() const { return seed_; }

 private:
  uint64_t seed_;
  uint64_t state_[4];
  bool has_spare_normal_ = false;
  double spare_normal_ = 0;
};

// Walker's alias method: O(1) draws proportional to fixed weights.
class AliasTable {
 public:
  AliasTable() = default;
  explicit AliasTable(std::span<const double> weights);
  size_t Sample(Random& random) const;
  size_t size() const { return probability_.size(); }

 private:
  std::vector<double> probability_;
  std::vector<uint32_t> alias_;
};

// A 64-bit hash of a label (FNV-1a), for deriving stream seeds.
uint64_t HashLabel(std::string_view label);

}  // namespace futureim::generate
