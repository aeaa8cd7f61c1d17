#include "api/rate_limiter.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace futureim::api {

RateLimiter::RateLimiter(double per_minute, double burst, size_t max_keys)
    : per_second_(per_minute / 60.0), burst_(std::max(1.0, burst)), max_keys_(max_keys) {}

bool RateLimiter::Allow(const std::string& key, std::chrono::steady_clock::time_point now,
                        int64_t* retry_after) {
  std::lock_guard lock(mutex_);
  auto [it, inserted] = buckets_.try_emplace(key, Bucket{burst_, now});
  Bucket& bucket = it->second;
  if (!inserted) {
    const double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
    bucket.tokens = std::min(burst_, bucket.tokens + std::max(0.0, elapsed) * per_second_);
    bucket.updated = now;
  }
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    if (inserted && buckets_.size() > max_keys_) Evict(now, key);
    return true;
  }
  if (retry_after) {
    *retry_after = static_cast<int64_t>(std::ceil((1.0 - bucket.tokens) / per_second_));
  }
  return false;
}

void RateLimiter::Evict(std::chrono::steady_clock::time_point now, const std::string& keep) {
  const auto full_after = std::chrono::duration<double>(burst_ / per_second_);
  std::erase_if(buckets_, [&](const auto& entry) {
    return entry.first != keep && now - entry.second.updated >= full_after;
  });
  if (buckets_.size() <= max_keys_) return;
  // Still full of active clients: drop the least recently seen tenth at once,
  // so a flood of new keys costs amortised O(1) per request, not a scan each.
  std::vector<std::pair<std::chrono::steady_clock::time_point, std::string>> by_age;
  by_age.reserve(buckets_.size());
  for (const auto& [key, bucket] : buckets_) {
    if (key != keep) by_age.emplace_back(bucket.updated, key);
  }
  const size_t drop = std::min(by_age.size(), buckets_.size() - max_keys_ + max_keys_ / 10);
  std::nth_element(by_age.begin(), by_age.begin() + static_cast<std::ptrdiff_t>(drop),
                   by_age.end());
  for (size_t i = 0; i < drop; ++i) buckets_.erase(by_age[i].second);
}

}  // namespace futureim::api
