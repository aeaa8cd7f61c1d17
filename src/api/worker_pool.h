#pragma once

#include <atomic>
#include <functional>
#include <memory>

namespace futureim::api {

// A fixed set of threads for blocking work (password hashing, SQL, disk), so
// the I/O threads never wait. Bounded: when `max_queued` jobs already wait,
// TrySubmit refuses the job (the caller answers 503) rather than let a flood
// grow memory and latency without limit.
class WorkerPool {
 public:
  WorkerPool(int threads, size_t max_queued);
  ~WorkerPool();  // runs the queued jobs, then joins
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  bool TrySubmit(std::function<void()> job);
  // Waits for every submitted job; later submissions are refused.
  void Join();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace futureim::api
