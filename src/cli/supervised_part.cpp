#include "cli/supervised_part.h"

#include <algorithm>
#include <exception>

#include "core/log.h"

namespace futureim::cli {

bool SleepUnlessStopped(std::chrono::steady_clock::time_point deadline,
                        const std::atomic<bool>& stop) {
  // Polling keeps the stop flag the only shared state (a signal handler
  // sets it and cannot notify a condition variable safely).
  while (!stop.load()) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return true;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
        deadline - now, std::chrono::milliseconds(50)));
  }
  return false;
}

SupervisedPart::SupervisedPart(std::string name, std::function<void()> body,
                               const std::atomic<bool>& stop, RestartBackoff backoff)
    : name_(std::move(name)), body_(std::move(body)), stop_(stop), backoff_(backoff) {
  thread_ = std::thread([this] { Supervise(); });
}

SupervisedPart::~SupervisedPart() { Join(); }

void SupervisedPart::Join() {
  if (thread_.joinable()) thread_.join();
}

void SupervisedPart::Supervise() {
  auto delay = backoff_.first;
  while (!stop_.load()) {
    const auto started = std::chrono::steady_clock::now();
    std::string failure;
    try {
      body_();
      core::log::Info("serve_part_stopped", {{"part", name_}});
      return;
    } catch (const std::exception& e) {
      failure = e.what();
    } catch (...) {
      failure = "unknown error";
    }
    if (stop_.load()) {
      core::log::Warn("serve_part_failed", {{"part", name_}, {"error", failure}});
      return;
    }
    if (std::chrono::steady_clock::now() - started >= backoff_.healthy_after)
      delay = backoff_.first;
    core::log::Error("serve_part_failed",
                     {{"part", name_}, {"error", failure}, {"retry_in_ms", delay.count()}});
    if (!SleepUnlessStopped(std::chrono::steady_clock::now() + delay, stop_)) return;
    delay = std::min(delay * 2, backoff_.max);
  }
}

}  // namespace futureim::cli
