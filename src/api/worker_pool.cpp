#include "api/worker_pool.h"

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include "core/log.h"

namespace futureim::api {

class WorkerPool::Impl {
 public:
  Impl(int threads, size_t max_queued)
      : pool_(static_cast<size_t>(threads)), max_queued_(max_queued) {}

  bool TrySubmit(std::function<void()> job) {
    if (joined_) return false;
    if (pending_.fetch_add(1) >= max_queued_) {
      pending_.fetch_sub(1);
      return false;
    }
    boost::asio::post(pool_, [this, job = std::move(job)] {
      try {
        job();
      } catch (const std::exception& e) {
        // Jobs answer their own errors; this is a defect, but must not kill the pool.
        core::log::Error("worker_job_failed", {{"error", e.what()}});
      }
      pending_.fetch_sub(1);
    });
    return true;
  }

  void Join() {
    joined_ = true;
    pool_.join();
  }

 private:
  boost::asio::thread_pool pool_;
  size_t max_queued_;
  std::atomic<size_t> pending_{0};
  std::atomic<bool> joined_{false};
};

WorkerPool::WorkerPool(int threads, size_t max_queued)
    : impl_(std::make_unique<Impl>(threads, max_queued)) {}
WorkerPool::~WorkerPool() { impl_->Join(); }
bool WorkerPool::TrySubmit(std::function<void()> job) { return impl_->TrySubmit(std::move(job)); }
void WorkerPool::Join() { impl_->Join(); }

}  // namespace futureim::api
