#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

namespace futureim::auth {

struct Mail {
  std::string to;
  std::string subject;
  std::string body;  // plain text
};

// Where account emails (verification, password reset) go.
class Mailer {
 public:
  virtual ~Mailer() = default;
  // Throws core::Error when the mail cannot be handed over.
  virtual void Send(const Mail& mail) = 0;
};

// No SMTP server configured: each mail is appended as one JSON line
// {"at","from","to","subject","body"} to a file readable by its owner only,
// where an operator (or a test) picks it up.
class OutboxFileMailer : public Mailer {
 public:
  OutboxFileMailer(std::filesystem::path file, std::string from);
  void Send(const Mail& mail) override;

 private:
  std::filesystem::path file_;
  std::string from_;
  std::mutex mutex_;
};

// SMTP through libcurl (smtp:// with STARTTLS required, or smtps://).
class SmtpMailer : public Mailer {
 public:
  struct Options {
    std::string url;  // smtp://host:587 or smtps://host:465
    std::string user;
    std::string password;
    std::string from;
  };
  explicit SmtpMailer(Options options) : options_(std::move(options)) {}
  void Send(const Mail& mail) override;

 private:
  Options options_;
};

}  // namespace futureim::auth
