#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <thread>

namespace futureim::cli {

struct RestartBackoff {
  std::chrono::milliseconds first{1000};
  std::chrono::milliseconds max{60000};
  // A body that ran this long before failing was healthy: the next restart
  // waits `first` again instead of the doubled delay.
  std::chrono::milliseconds healthy_after{60000};
};

// One background part of `futureim serve` (replication, the pipeline
// schedule) on its own thread. The body runs until `stop` is set; when it
// throws, the failure is logged (event serve_part_failed, with the part's
// name and the delay) and the body is started again after a backoff that
// doubles up to `max`. So a part that cannot work (source unreachable,
// access denied, a failing run) is retried and never takes the process or
// the other parts down.
//
// Invariant: the thread ends only when `stop` is set or the body returned
// normally; the destructor joins it (the owner sets `stop` first).
class SupervisedPart {
 public:
  SupervisedPart(std::string name, std::function<void()> body, const std::atomic<bool>& stop,
                 RestartBackoff backoff = {});
  ~SupervisedPart();
  SupervisedPart(const SupervisedPart&) = delete;
  SupervisedPart& operator=(const SupervisedPart&) = delete;

  const std::string& name() const { return name_; }
  // Waits for the thread to end (after `stop` was set).
  void Join();

 private:
  void Supervise();

  std::string name_;
  std::function<void()> body_;
  const std::atomic<bool>& stop_;
  RestartBackoff backoff_;
  std::thread thread_;
};

// Sleeps until `deadline` or until `stop` is set, whichever comes first;
// returns false when stopped.
bool SleepUnlessStopped(std::chrono::steady_clock::time_point deadline,
                        const std::atomic<bool>& stop);

}  // namespace futureim::cli
