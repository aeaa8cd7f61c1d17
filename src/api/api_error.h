#pragma once

#include <stdexcept>
#include <string>

namespace futureim::api {

// A refusal with its HTTP status and a stable code; the message is shown to
// the client, so it must never carry internals. `field` names the request
// field at fault (validation errors).
class ApiError : public std::runtime_error {
 public:
  ApiError(unsigned status, std::string code, const std::string& message, std::string field = {})
      : std::runtime_error(message),
        status_(status),
        code_(std::move(code)),
        field_(std::move(field)) {}
  unsigned status() const { return status_; }
  const std::string& code() const { return code_; }
  const std::string& field() const { return field_; }

 private:
  unsigned status_;
  std::string code_;
  std::string field_;
};

}  // namespace futureim::api
