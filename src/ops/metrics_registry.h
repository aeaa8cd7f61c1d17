#pragma once

// The process's metrics in Prometheus' text exposition format (SPEC.md §7):
// counters, gauges and histograms, each a family of series told apart by
// labels. Names carry the futureim_ prefix and base units (seconds, bytes);
// counters end in _total. Every method is thread-safe: the gateway records
// from every I/O and worker thread while a scrape renders.

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace futureim::ops {

// Label name → value, in the order they are rendered.
using MetricLabels = std::vector<std::pair<std::string, std::string>>;

// Latency buckets, seconds: 1 ms .. 10 s.
std::vector<double> DefaultLatencyBuckets();

class MetricsRegistry {
 public:
  // A family must be declared before use; declaring it again with the same
  // type is a no-op (several parts may declare what they share). Throws
  // std::logic_error for a name declared with another type or an invalid
  // Prometheus name.
  void DeclareCounter(std::string name, std::string help);
  void DeclareGauge(std::string name, std::string help);
  // `upper_bounds` ascending; +Inf is implicit.
  void DeclareHistogram(std::string name, std::string help, std::vector<double> upper_bounds);

  // Counters only go up: `by` must be >= 0. A counter read from elsewhere
  // (a file the replicator keeps) is Set with SetCounter instead.
  void Increment(std::string_view name, const MetricLabels& labels, double by = 1);
  void SetCounter(std::string_view name, const MetricLabels& labels, double value);
  void SetGauge(std::string_view name, const MetricLabels& labels, double value);
  // Drops every series of a family (before it is refilled from a fresh
  // reading, so a table that disappeared stops being reported).
  void Clear(std::string_view name);
  void Observe(std::string_view name, const MetricLabels& labels, double value);

  // The sum of a counter's series whose labels satisfy `keep` (all: null).
  double Sum(std::string_view name,
             const std::function<bool(const MetricLabels&)>& keep = nullptr) const;

  // Every family, in name order, as Prometheus text (version 0.0.4).
  std::string Render() const;

 private:
  enum class Type { kCounter, kGauge, kHistogram };
  struct Series {
    double value = 0;               // counter, gauge
    std::vector<uint64_t> buckets;  // histogram: per upper bound, not cumulative
    uint64_t count = 0;             // histogram
    double sum = 0;                 // histogram
  };
  struct Family {
    Type type;
    std::string help;
    std::vector<double> upper_bounds;
    std::map<MetricLabels, Series> series;
  };

  void Declare(std::string name, std::string help, Type type, std::vector<double> upper_bounds);
  Family& Get(std::string_view name, Type type);

  mutable std::mutex mutex_;
  std::map<std::string, Family, std::less<>> families_;
};

}  // namespace futureim::ops
