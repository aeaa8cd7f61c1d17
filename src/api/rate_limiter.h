#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace futureim::api {

// Token buckets keyed by client (IP, user id): each key may spend `burst`
// requests at once and gets `per_minute` back per minute. Memory is bounded:
// when more than `max_keys` are tracked, buckets that have refilled (and so
// carry no information) are dropped, then the least recently seen tenth.
class RateLimiter {
 public:
  RateLimiter(double per_minute, double burst, size_t max_keys = 100'000);

  // Takes one token; false when the bucket is empty. `retry_after` gets the
  // seconds until a token is back.
  bool Allow(const std::string& key, std::chrono::steady_clock::time_point now,
             int64_t* retry_after = nullptr);

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point updated;
  };
  void Evict(std::chrono::steady_clock::time_point now, const std::string& keep);

  double per_second_;
  double burst_;
  size_t max_keys_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace futureim::api
