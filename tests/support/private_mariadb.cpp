#include "support/private_mariadb.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace futureim::testing {
namespace {

// Undoes the script's shell quoting ('...' segments and backslash escapes),
// which is all instance.env uses.
std::string Unquote(const std::string& value) {
  std::string out;
  bool quoted = false;
  for (size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (quoted) {
      if (c == '\'') {
        quoted = false;
      } else {
        out += c;
      }
    } else if (c == '\'') {
      quoted = true;
    } else if (c == '\\' && i + 1 < value.size()) {
      out += value[++i];
    } else {
      out += c;
    }
  }
  return out;
}

std::map<std::string, std::string> ReadEnvFile(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) {
    throw std::runtime_error("cannot read " + file.string());
  }
  std::map<std::string, std::string> values;
  std::string line;
  while (std::getline(in, line)) {
    const size_t eq = line.find('=');
    if (eq == std::string::npos || line.starts_with('#')) {
      continue;
    }
    values[line.substr(0, eq)] = Unquote(line.substr(eq + 1));
  }
  return values;
}

const std::string& Required(const std::map<std::string, std::string>& values,
                            const std::string& key, const std::filesystem::path& file) {
  const auto it = values.find(key);
  if (it == values.end() || it->second.empty()) {
    throw std::runtime_error(file.string() + " has no " + key);
  }
  return it->second;
}

// True while `pid` is a live process (a zombie is not: the server is
// reparented to init when the script exits, and init may never reap it).
bool ProcessAlive(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!stat || !std::getline(stat, text)) {
    return false;
  }
  const size_t paren = text.rfind(')');
  if (paren == std::string::npos || paren + 2 >= text.size()) {
    return false;
  }
  const char state = text[paren + 2];
  return state != 'Z' && state != 'X';
}

}  // namespace

PrivateMariadb::PrivateMariadb(std::vector<std::string> server_options)
    : server_options_(std::move(server_options)) {
  const char* source_dir = std::getenv("FUTUREIM_SOURCE_DIR");
  if (source_dir == nullptr || *source_dir == '\0') {
    throw std::runtime_error(
        "FUTUREIM_SOURCE_DIR is not set: run the tests through ctest, or set it to the repository "
        "root");
  }
  script_ = std::filesystem::path(source_dir) / "scripts" / "mariadb-private.sh";
  if (!std::filesystem::exists(script_)) {
    throw std::runtime_error(script_.string() + " does not exist");
  }
  std::string pattern =
      (std::filesystem::temp_directory_path() / "futureim-mariadb-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("mkdtemp failed: " + std::string(std::strerror(errno)));
  }
  root_ = pattern;
  dir_ = root_ / "mariadb";
  try {
    std::vector<std::string> args = {"start", dir_.string(), "--"};
    args.insert(args.end(), server_options_.begin(), server_options_.end());
    RunScript(args);
    running_ = true;
    LoadInstanceEnv();
  } catch (...) {
    try {
      RunScript({"stop", dir_.string()});
    } catch (...) {  // NOLINT(bugprone-empty-catch): the first error is the one to report
    }
    std::error_code ignored;
    std::filesystem::remove_all(root_, ignored);
    throw;
  }
}

PrivateMariadb::~PrivateMariadb() {
  try {
    RunScript({"stop", dir_.string()});
  } catch (const std::exception&) {  // NOLINT(bugprone-empty-catch): nothing left to do
  }
  const char* keep = std::getenv("FUTUREIM_KEEP_MARIADB");
  if (keep == nullptr || std::string(keep) != "1") {
    std::error_code ignored;
    std::filesystem::remove_all(root_, ignored);
  }
}

std::string PrivateMariadb::RunScript(const std::vector<std::string>& args) const {
  // The script's output goes to a file, not a pipe: the server it starts in
  // the background would otherwise inherit the pipe and keep it open.
  const auto log = root_ / "script.log";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);

  std::vector<std::string> storage = {"bash", script_.string()};
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  argv.reserve(storage.size() + 1);
  for (auto& arg : storage) {
    argv.push_back(arg.data());
  }
  argv.push_back(nullptr);

  pid_t pid = 0;
  const int spawn_error = posix_spawnp(&pid, "bash", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawn_error != 0) {
    throw std::runtime_error("cannot run " + script_.string() + ": " + std::strerror(spawn_error));
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      throw std::runtime_error("waitpid failed: " + std::string(std::strerror(errno)));
    }
  }
  std::ifstream in(log);
  std::stringstream output;
  output << in.rdbuf();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error("mariadb-private.sh " + args.front() + " " + dir_.string() +
                             " failed (status " + std::to_string(status) + "):\n" + output.str());
  }
  return output.str();
}

void PrivateMariadb::LoadInstanceEnv() {
  const auto file = dir_ / "instance.env";
  const auto values = ReadEnvFile(file);
  port_ = std::stoi(Required(values, "MARIADB_PORT", file));
  pid_ = std::stoi(Required(values, "MARIADB_PID", file));
  socket_ = Required(values, "MARIADB_SOCKET", file);
  database_ = Required(values, "MARIADB_DATABASE", file);
  store_user_ = Required(values, "MARIADB_STORE_USER", file);
  store_password_ = Required(values, "MARIADB_STORE_PASSWORD", file);
  repl_user_ = Required(values, "MARIADB_REPL_USER", file);
  repl_password_ = Required(values, "MARIADB_REPL_PASSWORD", file);
}

source::SourceEndpoint PrivateMariadb::StoreUser() const {
  source::SourceEndpoint endpoint;
  endpoint.host = "127.0.0.1";
  endpoint.port = port_;
  endpoint.user = store_user_;
  endpoint.password = store_password_;
  endpoint.database = database_;
  return endpoint;
}

source::SourceEndpoint PrivateMariadb::ReplicationUser() const {
  source::SourceEndpoint endpoint = StoreUser();
  endpoint.user = repl_user_;
  endpoint.password = repl_password_;
  return endpoint;
}

source::SourceEndpoint PrivateMariadb::Root() const {
  source::SourceEndpoint endpoint;
  endpoint.host = "localhost";
  endpoint.socket = socket_;
  endpoint.user = "root";
  endpoint.database = database_;
  return endpoint;
}

std::map<std::string, std::string> PrivateMariadb::FutureimEnvironment(
    const std::filesystem::path& workdir) const {
  return {{"FUTUREIM_WORKDIR", workdir.string()},
          {"FUTUREIM_SOURCE_PORT", std::to_string(port_)},
          {"FUTUREIM_SOURCE_USER", repl_user_},
          {"FUTUREIM_SOURCE_PASSWORD", repl_password_},
          {"FUTUREIM_LOG_FORMAT", "json"}};
}

void PrivateMariadb::Stop() {
  RunScript({"stop", dir_.string()});
  running_ = false;
}

void PrivateMariadb::Start() {
  std::vector<std::string> args = {"start", dir_.string(), "--port", std::to_string(port_), "--"};
  args.insert(args.end(), server_options_.begin(), server_options_.end());
  RunScript(args);
  running_ = true;
  LoadInstanceEnv();
}

void PrivateMariadb::Kill() {
  if (pid_ > 0 && ProcessAlive(pid_)) {
    ::kill(pid_, SIGKILL);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (pid_ > 0 && ProcessAlive(pid_)) {
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("mariadbd (pid " + std::to_string(pid_) + ") survived SIGKILL");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  running_ = false;
}

}  // namespace futureim::testing
