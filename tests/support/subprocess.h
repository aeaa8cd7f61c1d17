#pragma once

#include <cstdlib>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace futureim::testing {

// In a forked child: adds `extra_env` to the environment and execs `argv`;
// never returns (exit 127 when the program cannot be run).
[[noreturn]] inline void ExecWithEnvironment(const std::vector<std::string>& argv,
                                             const std::map<std::string, std::string>& extra_env) {
  for (const auto& [name, value] : extra_env) ::setenv(name.c_str(), value.c_str(), 1);
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  ::execvp(args[0], args.data());
  ::_exit(127);
}

struct ProcessResult {
  int exit_code = -1;  // -signal when killed by a signal
  std::string out;
  std::string err;
};

// Runs a program to completion with extra environment variables and optional
// standard input, capturing stdout and stderr separately. Used to test the
// real futureim binary end to end.
inline ProcessResult RunProcess(const std::vector<std::string>& argv,
                                const std::map<std::string, std::string>& extra_env = {},
                                const std::string& input = {}) {
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) || ::pipe2(out_pipe, O_CLOEXEC) || ::pipe2(err_pipe, O_CLOEXEC)) {
    throw std::runtime_error("pipe failed");
  }
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::dup2(in_pipe[0], 0);
    ::dup2(out_pipe[1], 1);
    ::dup2(err_pipe[1], 2);
    ExecWithEnvironment(argv, extra_env);
  }
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (!input.empty()) {
    [[maybe_unused]] auto written = ::write(in_pipe[1], input.data(), input.size());
  }
  ::close(in_pipe[1]);

  ProcessResult result;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_fds = 2;
  char buf[65536];
  while (open_fds > 0) {
    if (::poll(fds, 2, -1) < 0) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        sinks[i]->append(buf, static_cast<size_t>(n));
      } else {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  return result;
}

// Starts a program in the background with extra environment variables, its
// stdout and stderr appended to `log_path`; returns its pid. The caller
// reaps it (waitpid), e.g. after killing it.
inline pid_t SpawnProcess(const std::vector<std::string>& argv,
                          const std::map<std::string, std::string>& extra_env,
                          const std::string& log_path) {
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const int log = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (log >= 0) {
      ::dup2(log, 1);
      ::dup2(log, 2);
    }
    ExecWithEnvironment(argv, extra_env);
  }
  return pid;
}

// The futureim binary under test: $FUTUREIM_BINARY, else the one built with
// the tests (integration tests get FUTUREIM_BINARY_PATH, see tests/CMakeLists.txt).
inline std::string FutureimBinary() {
  if (const char* path = std::getenv("FUTUREIM_BINARY")) return path;
#ifdef FUTUREIM_BINARY_PATH
  return FUTUREIM_BINARY_PATH;
#else
  throw std::runtime_error("FutureimBinary() is only available to integration tests");
#endif
}

}  // namespace futureim::testing
