#include "ops/webhook_notifier.h"

#include <curl/curl.h>

#include "core/error.h"
#include "core/log.h"

namespace futureim::ops {
namespace {

size_t DiscardBody(char*, size_t size, size_t count, void*) { return size * count; }

}  // namespace

WebhookNotifier::WebhookNotifier(WebhookOptions options) : options_(std::move(options)) {
  if (options_.url.rfind("http://", 0) != 0 && options_.url.rfind("https://", 0) != 0) {
    throw core::Error("alarms.webhook_url must start with http:// or https://");
  }
  if (options_.max_attempts < 1) options_.max_attempts = 1;
  thread_ = std::thread([this] { Loop(); });
}

WebhookNotifier::~WebhookNotifier() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  if (!queue_.empty()) {
    core::log::Warn("webhook_undelivered", {{"notifications", queue_.size()}});
  }
}

void WebhookNotifier::Send(nlohmann::json payload) {
  std::lock_guard lock(mutex_);
  if (queue_.size() >= options_.max_queued) {
    queue_.pop_front();
    ++counts_.dropped;
    core::log::Warn("webhook_queue_full", {{"dropped", 1}});
  }
  queue_.push_back(payload.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  wake_.notify_all();
}

WebhookNotifier::Counts WebhookNotifier::counts() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

std::string WebhookNotifier::Post(const std::string& body) const {
  CURL* curl = curl_easy_init();
  if (!curl) return "curl_easy_init failed";
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  curl_easy_setopt(curl, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, DiscardBody);
  const CURLcode code = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (code != CURLE_OK) return curl_easy_strerror(code);
  if (status < 200 || status > 299) return "HTTP status " + std::to_string(status);
  return {};
}

void WebhookNotifier::Loop() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    const std::string body = queue_.front();
    queue_.pop_front();
    auto backoff = options_.first_backoff;
    for (int attempt = 1;; ++attempt) {
      lock.unlock();
      const std::string failure = Post(body);
      lock.lock();
      if (failure.empty()) {
        ++counts_.delivered;
        break;
      }
      ++counts_.attempts_failed;
      // The URL may carry a token in its path: it is never logged.
      core::log::Warn("webhook_attempt_failed", {{"attempt", attempt}, {"error", failure}});
      if (attempt >= options_.max_attempts) {
        ++counts_.dropped;
        core::log::Error("webhook_gave_up", {{"attempts", attempt}});
        break;
      }
      if (wake_.wait_for(lock, backoff, [this] { return stopping_; })) {
        ++counts_.dropped;
        return;
      }
      backoff = std::min<std::chrono::milliseconds>(backoff * 2, std::chrono::seconds(60));
    }
  }
}

}  // namespace futureim::ops
