#pragma once

#include <memory>
#include <mutex>
#include <string>

namespace futureim::api {

// A JSON body computed ahead of the requests that read it (e.g. once per
// pipeline run) and served as is: readers take a reference-counted snapshot,
// so a writer replacing it never blocks or tears a response being sent.
class PrecomputedJson {
 public:
  explicit PrecomputedJson(std::string text)
      : text_(std::make_shared<const std::string>(std::move(text))) {}

  std::shared_ptr<const std::string> Get() const {
    std::lock_guard lock(mutex_);
    return text_;
  }
  void Set(std::string text) {
    auto next = std::make_shared<const std::string>(std::move(text));
    std::lock_guard lock(mutex_);
    text_.swap(next);
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const std::string> text_;
};

}  // namespace futureim::api
