#pragma once

#include <cstdint>
#include <functional>

namespace futureim::generate {

// The time live trading writes into the store. It never goes back behind
// the store it trades on, and never backwards from one reading to the next:
//
//   now = max(real now, store_latest + (real now − real start))
//
// An ordinary store (its latest row before real now, e.g. filled with
// --as-of today or a past day) trades on the real clock; the days between a
// past as-of and today simply stay empty, as for a shop that was closed. A
// store filled with --as-of in the future already holds rows later than
// real now: live time then continues from its latest moment at real speed,
// so new rows follow the fill instead of landing before it (and an analyst
// sees one continuous history). Readings are strictly increasing (by at
// least one microsecond) so consecutive transactions keep their order.
class LiveClock {
 public:
  // Microseconds since 1970-01-01 UTC.
  using RealClock = std::function<int64_t()>;

  // `store_latest_micros`: the latest timestamp the store holds.
  explicit LiveClock(int64_t store_latest_micros, RealClock real_clock = SystemMicros);

  int64_t NowMicros();
  int64_t NowMillis() { return NowMicros() / 1000; }

  static int64_t SystemMicros();

 private:
  RealClock real_clock_;
  int64_t real_start_;
  int64_t store_latest_;
  int64_t last_ = 0;
};

}  // namespace futureim::generate
