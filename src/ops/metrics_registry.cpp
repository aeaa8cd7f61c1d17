#include "ops/metrics_registry.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

namespace futureim::ops {
namespace {

bool IsMetricName(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

std::string FormatNumber(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

// Label values may hold anything; the format escapes \, " and newlines.
void AppendLabelValue(std::string& out, std::string_view value) {
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
}

// HELP text escapes \ and newlines.
std::string EscapeHelp(std::string_view help) {
  std::string out;
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

void AppendSample(std::string& out, std::string_view name, const MetricLabels& labels,
                  const std::pair<std::string, std::string>* extra, double value) {
  out += name;
  if (!labels.empty() || extra) {
    out.push_back('{');
    bool first = true;
    auto append = [&](const std::pair<std::string, std::string>& label) {
      if (!first) out.push_back(',');
      first = false;
      out += label.first;
      out += "=\"";
      AppendLabelValue(out, label.second);
      out.push_back('"');
    };
    for (const auto& label : labels) append(label);
    if (extra) append(*extra);
    out.push_back('}');
  }
  out.push_back(' ');
  out += FormatNumber(value);
  out.push_back('\n');
}

}  // namespace

std::vector<double> DefaultLatencyBuckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

void MetricsRegistry::Declare(std::string name, std::string help, Type type,
                              std::vector<double> upper_bounds) {
  if (!IsMetricName(name)) throw std::logic_error("invalid metric name: " + name);
  if (!std::is_sorted(upper_bounds.begin(), upper_bounds.end())) {
    throw std::logic_error("histogram buckets must ascend: " + name);
  }
  std::lock_guard lock(mutex_);
  const auto found = families_.find(name);
  if (found != families_.end()) {
    if (found->second.type != type) {
      throw std::logic_error("metric " + name + " declared twice with different types");
    }
    return;
  }
  families_.emplace(std::move(name), Family{type, std::move(help), std::move(upper_bounds), {}});
}

void MetricsRegistry::DeclareCounter(std::string name, std::string help) {
  Declare(std::move(name), std::move(help), Type::kCounter, {});
}
void MetricsRegistry::DeclareGauge(std::string name, std::string help) {
  Declare(std::move(name), std::move(help), Type::kGauge, {});
}
void MetricsRegistry::DeclareHistogram(std::string name, std::string help,
                                       std::vector<double> upper_bounds) {
  Declare(std::move(name), std::move(help), Type::kHistogram, std::move(upper_bounds));
}

MetricsRegistry::Family& MetricsRegistry::Get(std::string_view name, Type type) {
  const auto found = families_.find(name);
  if (found == families_.end() || found->second.type != type) {
    throw std::logic_error("metric used before it was declared (or with another type): " +
                           std::string(name));
  }
  return found->second;
}

void MetricsRegistry::Increment(std::string_view name, const MetricLabels& labels, double by) {
  if (!(by >= 0)) throw std::logic_error("a counter only goes up: " + std::string(name));
  std::lock_guard lock(mutex_);
  Get(name, Type::kCounter).series[labels].value += by;
}

void MetricsRegistry::SetCounter(std::string_view name, const MetricLabels& labels, double value) {
  std::lock_guard lock(mutex_);
  Get(name, Type::kCounter).series[labels].value = value;
}

void MetricsRegistry::SetGauge(std::string_view name, const MetricLabels& labels, double value) {
  std::lock_guard lock(mutex_);
  Get(name, Type::kGauge).series[labels].value = value;
}

void MetricsRegistry::Clear(std::string_view name) {
  std::lock_guard lock(mutex_);
  const auto found = families_.find(name);
  if (found == families_.end()) {
    throw std::logic_error("metric used before it was declared: " + std::string(name));
  }
  found->second.series.clear();
}

void MetricsRegistry::Observe(std::string_view name, const MetricLabels& labels, double value) {
  std::lock_guard lock(mutex_);
  Family& family = Get(name, Type::kHistogram);
  Series& series = family.series[labels];
  if (series.buckets.empty()) series.buckets.assign(family.upper_bounds.size(), 0);
  // The first bucket whose upper bound holds the value; past the last: +Inf only.
  const auto bound =
      std::lower_bound(family.upper_bounds.begin(), family.upper_bounds.end(), value);
  if (bound != family.upper_bounds.end()) {
    ++series.buckets[static_cast<size_t>(bound - family.upper_bounds.begin())];
  }
  ++series.count;
  series.sum += value;
}

double MetricsRegistry::Sum(std::string_view name,
                            const std::function<bool(const MetricLabels&)>& keep) const {
  std::lock_guard lock(mutex_);
  const auto found = families_.find(name);
  if (found == families_.end()) return 0;
  double sum = 0;
  for (const auto& [labels, series] : found->second.series) {
    if (!keep || keep(labels)) sum += series.value;
  }
  return sum;
}

std::string MetricsRegistry::Render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  out.reserve(4096);
  for (const auto& [name, family] : families_) {
    const char* type = family.type == Type::kCounter ? "counter"
                       : family.type == Type::kGauge ? "gauge"
                                                     : "histogram";
    out += "# HELP " + name + " " + EscapeHelp(family.help) + "\n";
    out += "# TYPE " + name + " " + type + "\n";
    for (const auto& [labels, series] : family.series) {
      if (family.type != Type::kHistogram) {
        AppendSample(out, name, labels, nullptr, series.value);
        continue;
      }
      uint64_t cumulative = 0;
      for (size_t i = 0; i < family.upper_bounds.size(); ++i) {
        cumulative += series.buckets[i];
        const std::pair<std::string, std::string> le{"le", FormatNumber(family.upper_bounds[i])};
        AppendSample(out, name + "_bucket", labels, &le, static_cast<double>(cumulative));
      }
      const std::pair<std::string, std::string> inf{"le", "+Inf"};
      AppendSample(out, name + "_bucket", labels, &inf, static_cast<double>(series.count));
      AppendSample(out, name + "_sum", labels, nullptr, series.sum);
      AppendSample(out, name + "_count", labels, nullptr, static_cast<double>(series.count));
    }
  }
  return out;
}

}  // namespace futureim::ops
