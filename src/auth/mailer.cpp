#include "auth/mailer.h"

#include <cerrno>
#include <chrono>
#include <cstring>

#include <curl/curl.h>
#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "core/error.h"

namespace futureim::auth {

OutboxFileMailer::OutboxFileMailer(std::filesystem::path file, std::string from)
    : file_(std::move(file)), from_(std::move(from)) {}

void OutboxFileMailer::Send(const Mail& mail) {
  const auto at = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  const nlohmann::json line = {
      {"at", at}, {"from", from_}, {"to", mail.to}, {"subject", mail.subject}, {"body", mail.body}};
  const std::string text =
      line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::lock_guard lock(mutex_);
  if (file_.has_parent_path()) std::filesystem::create_directories(file_.parent_path());
  // O_APPEND: one write() per mail, so concurrent processes never interleave lines.
  const int fd = ::open(file_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0)
    throw core::Error("cannot open mail outbox " + file_.string() + ": " + std::strerror(errno));
  const ssize_t written = ::write(fd, text.data(), text.size());
  ::close(fd);
  if (written != static_cast<ssize_t>(text.size())) {
    throw core::Error("cannot write mail outbox " + file_.string());
  }
}

namespace {

struct Payload {
  std::string text;
  size_t offset = 0;
};

size_t ReadPayload(char* buffer, size_t size, size_t count, void* user) {
  auto* payload = static_cast<Payload*>(user);
  const size_t n = std::min(size * count, payload->text.size() - payload->offset);
  std::memcpy(buffer, payload->text.data() + payload->offset, n);
  payload->offset += n;
  return n;
}

// Header values come from our own templates and a validated email address,
// but a CR or LF would still let a value inject headers: drop them.
std::string HeaderSafe(std::string value) {
  std::erase_if(value, [](char c) { return c == '\r' || c == '\n'; });
  return value;
}

}  // namespace

void SmtpMailer::Send(const Mail& mail) {
  CURL* curl = curl_easy_init();
  if (!curl) throw core::Error("cannot start the SMTP client");
  Payload payload;
  payload.text = "From: " + HeaderSafe(options_.from) + "\r\nTo: " + HeaderSafe(mail.to) +
                 "\r\nSubject: " + HeaderSafe(mail.subject) +
                 "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + mail.body + "\r\n";
  curl_slist* recipients = curl_slist_append(nullptr, ("<" + HeaderSafe(mail.to) + ">").c_str());
  const std::string from = "<" + HeaderSafe(options_.from) + ">";
  curl_easy_setopt(curl, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  if (!options_.user.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, options_.user.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, options_.password.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadPayload);
  curl_easy_setopt(curl, CURLOPT_READDATA, &payload);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  const CURLcode rc = curl_easy_perform(curl);
  curl_slist_free_all(recipients);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) {
    throw core::Error(std::string("SMTP delivery failed: ") + curl_easy_strerror(rc));
  }
}

}  // namespace futureim::auth
