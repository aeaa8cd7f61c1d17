#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "engine/duckdb.h"

namespace futureim::query {

// Enforces a time limit on whatever runs on `connection` while this object
// lives: once `limit` has passed it calls Connection::Interrupt, and keeps
// calling it every few milliseconds until destroyed, because an interrupt
// that lands between two steps of a query (e.g. before a streaming result's
// next chunk starts) may be forgotten when the next step starts.
class InterruptWatchdog {
 public:
  InterruptWatchdog(const engine::Connection& connection, std::chrono::milliseconds limit);
  ~InterruptWatchdog();
  InterruptWatchdog(const InterruptWatchdog&) = delete;
  InterruptWatchdog& operator=(const InterruptWatchdog&) = delete;

  // Whether the limit passed (and interrupts were sent).
  bool Fired() const;

 private:
  void Watch(std::chrono::steady_clock::time_point deadline);

  const engine::Connection& connection_;
  mutable std::mutex mutex_;
  std::condition_variable stop_requested_;
  bool stopping_ = false;
  bool fired_ = false;
  std::thread thread_;
};

}  // namespace futureim::query
