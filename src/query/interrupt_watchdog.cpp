#include "query/interrupt_watchdog.h"

namespace futureim::query {

namespace {
constexpr std::chrono::milliseconds kRepeatInterval{5};
}  // namespace

InterruptWatchdog::InterruptWatchdog(const engine::Connection& connection,
                                     std::chrono::milliseconds limit)
    : connection_(connection) {
  thread_ = std::thread(&InterruptWatchdog::Watch, this, std::chrono::steady_clock::now() + limit);
}

InterruptWatchdog::~InterruptWatchdog() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_requested_.notify_all();
  thread_.join();
}

bool InterruptWatchdog::Fired() const {
  std::lock_guard lock(mutex_);
  return fired_;
}

void InterruptWatchdog::Watch(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  if (stop_requested_.wait_until(lock, deadline, [this] { return stopping_; })) return;
  fired_ = true;
  do {
    connection_.Interrupt();
  } while (!stop_requested_.wait_for(lock, kRepeatInterval, [this] { return stopping_; }));
}

}  // namespace futureim::query
