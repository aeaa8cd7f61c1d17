#include "generate/live_clock.h"

#include <algorithm>
#include <chrono>

namespace futureim::generate {

LiveClock::LiveClock(int64_t store_latest_micros, RealClock real_clock)
    : real_clock_(std::move(real_clock)),
      real_start_(real_clock_()),
      store_latest_(store_latest_micros) {}

int64_t LiveClock::SystemMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t LiveClock::NowMicros() {
  const int64_t real = real_clock_();
  // Strictly after the store's latest row, and after the previous reading.
  const int64_t continued = store_latest_ + 1 + std::max<int64_t>(0, real - real_start_);
  last_ = std::max({real, continued, last_ + 1});
  return last_;
}

}  // namespace futureim::generate
