#pragma once

// The real `futureim serve` on 127.0.0.1 (any free port), in a fresh
// installation made by the real `futureim init`.

#include <chrono>
#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sys/wait.h>

#include "core/key_store.h"
#include "support/http_client.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace futureim::testing {

inline constexpr const char* kAdminEmail = "root@example.com";
// A fresh random password per test process (mixed classes for the password
// rules): no password literal in the repository.
inline const std::string kAdminPassword = "Aa1!" + core::GenerateKey();
// The password of the users the tests register: generated per process too.
inline const std::string kUserPassword = "Us3r!" + core::GenerateKey();

class ApiServerProcess {
 public:
  // `settings`: extra FUTUREIM_* variables (short TTLs, limits, the source).
  // `parts`: the serve part flags (default: the API alone; {} runs every part).
  // `before_start`: runs after `futureim init`, before the server starts,
  // with the server's environment (to fill the lake first).
  using Preparation = std::function<void(const std::map<std::string, std::string>& env)>;
  explicit ApiServerProcess(std::map<std::string, std::string> settings = {},
                            std::vector<std::string> parts = {"--api"},
                            const Preparation& before_start = nullptr)
      : env_(std::move(settings)), parts_(std::move(parts)) {
    env_["FUTUREIM_WORKDIR"] = dir_.path().string();
    env_["FUTUREIM_ADMIN_PASSWORD"] = kAdminPassword;
    env_.emplace("FUTUREIM_LOG_LEVEL", "warn");
    const auto init = RunProcess({FutureimBinary(), "init", "--admin-email", kAdminEmail}, env_);
    if (init.exit_code != 0) throw std::runtime_error("futureim init failed: " + init.err);
    if (before_start) before_start(env_);
    Start();
  }
  ~ApiServerProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }

  void Start() {
    log_ = (dir_.path() / ("serve-" + std::to_string(++starts_) + ".log")).string();
    std::vector<std::string> argv = {FutureimBinary(), "serve", "--listen", "127.0.0.1:0"};
    argv.insert(argv.end(), parts_.begin(), parts_.end());
    pid_ = SpawnProcess(argv, env_, log_);
    const std::regex url("API at https?://127\\.0\\.0\\.1:([0-9]+)");
    for (int i = 0; i < 300; ++i) {
      std::smatch match;
      const std::string text = Log();
      if (std::regex_search(text, match, url)) {
        port_ = static_cast<uint16_t>(std::stoi(match[1]));
        return;
      }
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        throw std::runtime_error("futureim serve exited: " + text);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    throw std::runtime_error("futureim serve did not start: " + Log());
  }

  // SIGTERM; returns the exit code (or -signal).
  int Stop() {
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  }

  bool Running() {
    int status = 0;
    return pid_ > 0 && ::waitpid(pid_, &status, WNOHANG) == 0;
  }

  std::string Log() const {
    std::ifstream in(log_);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  // Resident memory of the server process, KiB (VmRSS).
  long ResidentKib() const {
    std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    }
    return -1;
  }
  const std::filesystem::path& workdir() const { return dir_.path(); }
  const std::map<std::string, std::string>& env() const { return env_; }

  HttpReply Call(const std::string& method, const std::string& target,
                 const nlohmann::json& body = nullptr, const std::string& token = {},
                 std::map<std::string, std::string> headers = {}) {
    if (!token.empty()) headers["Authorization"] = "Bearer " + token;
    return HttpRequestOnce(port_, method, target, body.is_null() ? "" : body.dump(), headers);
  }

  // The token of the last mailed link to `path` ("/verify", "/reset-password").
  std::string LastMailedToken(const std::string& path) const {
    std::ifstream in(dir_.path() / "meta" / "outbox.jsonl");
    std::string line, token;
    const std::regex link(path + "\\?token=([A-Za-z0-9_-]+)");
    while (std::getline(in, line)) {
      std::smatch match;
      if (std::regex_search(line, match, link)) token = match[1];
    }
    return token;
  }

 private:
  TempDir dir_{"futureim-api"};
  std::map<std::string, std::string> env_;
  std::vector<std::string> parts_;
  std::string log_;
  pid_t pid_ = -1;
  uint16_t port_ = 0;
  int starts_ = 0;
};

inline nlohmann::json JsonOf(const HttpReply& reply) {
  auto json = nlohmann::json::parse(reply.body, nullptr, false);
  return json.is_discarded() ? nlohmann::json() : json;
}

}  // namespace futureim::testing
