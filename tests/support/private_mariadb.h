#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "source/source_endpoint.h"

namespace futureim::testing {

// A private MariaDB server for one test process, run by
// scripts/mariadb-private.sh (found through FUTUREIM_SOURCE_DIR, which CTest
// sets) in a fresh temporary directory: row-based binlog with full row images
// and metadata, database `ecommerce`, users store_app (ALL on ecommerce.*)
// and dms_remote (replication, least privilege). The destructor stops the
// server and removes the directory (set FUTUREIM_KEEP_MARIADB=1 to keep it
// for a post-mortem).
//
// Starting one costs about a second, and CTest runs every TEST in a process
// of its own, so share one per suite:
//
//   class MyTest : public ::testing::Test {
//    protected:
//     static void SetUpTestSuite() { server_ = std::make_unique<PrivateMariadb>(); }
//     static void TearDownTestSuite() { server_.reset(); }
//     static inline std::unique_ptr<PrivateMariadb> server_;
//   };
//
// (tests/integration/source/store_schema_test.cpp does this, and also
// reports a failed start cleanly.)
class PrivateMariadb {
 public:
  // Starts a server; `server_options` are extra mariadbd options that
  // override the defaults (e.g. "--binlog-format=STATEMENT" to test a
  // misconfigured source). Throws std::runtime_error with the script's output
  // when the server does not start.
  explicit PrivateMariadb(std::vector<std::string> server_options = {});
  PrivateMariadb(const PrivateMariadb&) = delete;
  PrivateMariadb& operator=(const PrivateMariadb&) = delete;
  ~PrivateMariadb();

  // store_app over TCP, database ecommerce: writes the store's data.
  source::SourceEndpoint StoreUser() const;
  // dms_remote over TCP, database ecommerce: what replication connects as.
  source::SourceEndpoint ReplicationUser() const;
  // root over the Unix socket (socket authentication): for what only an
  // administrator may do in a test (FLUSH BINARY LOGS, SET GLOBAL, ...).
  source::SourceEndpoint Root() const;

  // The environment that points a futureim process at this server as the
  // replication user, with its installation folder in `workdir` and JSON logs.
  std::map<std::string, std::string> FutureimEnvironment(
      const std::filesystem::path& workdir) const;

  int port() const { return port_; }
  std::filesystem::path dir() const { return dir_; }
  bool running() const { return running_; }

  // Stops the server (SIGTERM, then SIGKILL after 30 s); data stays.
  void Stop();
  // Starts it again on the same port and data directory (after Stop(), e.g.
  // for tests where the source goes away and comes back).
  void Start();
  // Kills the server with SIGKILL, as a crash would; Start() recovers it.
  void Kill();

 private:
  // Runs the script with `args`; returns its combined output, throws on failure.
  std::string RunScript(const std::vector<std::string>& args) const;
  void LoadInstanceEnv();

  std::filesystem::path root_;  // the temporary directory: dir_ and the script's log
  std::filesystem::path dir_;   // the instance directory (DIR for the script)
  std::filesystem::path script_;
  std::vector<std::string> server_options_;
  int port_ = 0;
  int pid_ = 0;
  std::string socket_;
  std::string database_;
  std::string store_user_;
  std::string store_password_;
  std::string repl_user_;
  std::string repl_password_;
  bool running_ = false;
};

}  // namespace futureim::testing
