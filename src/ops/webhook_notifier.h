#pragma once

// Delivers JSON notifications (alarm state changes) to a webhook URL with
// an HTTP POST, on a thread of its own: Send only queues, so the alarm
// evaluation never waits on the network. A delivery that fails (connection
// error, timeout, non-2xx answer) is retried with exponential backoff up to
// `max_attempts`; then it is logged and dropped. When the queue is full the
// oldest notification is dropped (and logged) — the alarm state itself stays
// in the metadata database and GET /ops/alarms either way.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

namespace futureim::ops {

struct WebhookOptions {
  std::string url = {};  // http:// or https://
  int max_attempts = 5;
  std::chrono::milliseconds first_backoff{1000};  // doubles per attempt, at most 60 s
  std::chrono::milliseconds timeout{5000};        // per attempt
  size_t max_queued = 1000;
};

class WebhookNotifier {
 public:
  // Throws core::Error for a URL that is not http(s)://.
  explicit WebhookNotifier(WebhookOptions options);
  // Stops after the attempt in progress; notifications still queued are
  // logged as undelivered.
  ~WebhookNotifier();
  WebhookNotifier(const WebhookNotifier&) = delete;
  WebhookNotifier& operator=(const WebhookNotifier&) = delete;

  void Send(nlohmann::json payload);

  struct Counts {
    uint64_t delivered = 0;
    uint64_t attempts_failed = 0;
    uint64_t dropped = 0;  // gave up or pushed out of a full queue
  };
  Counts counts() const;

 private:
  void Loop();
  // One POST; empty when the receiver answered 2xx, else why not.
  std::string Post(const std::string& body) const;

  WebhookOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::string> queue_;
  bool stopping_ = false;
  Counts counts_;
  std::thread thread_;
};

}  // namespace futureim::ops
