#include "replicate/replication_task.h"

#include <condition_variable>
#include <fstream>
#include <mutex>
#include <thread>

#include <unistd.h>

#include "core/error.h"
#include "core/log.h"
#include "replicate/change_capture.h"
#include "replicate/full_loader.h"
#include "replicate/replication_context.h"
#include "source/binlog_stream.h"
#include "source/source_schema_reader.h"

namespace futureim::replicate {
namespace fs = std::filesystem;

namespace {

// Client errors that mean "the server went away or is not there yet": worth
// retrying with backoff rather than failing.
bool IsTransient(const source::SourceError& error) {
  switch (error.code()) {
    case 2002:  // cannot connect through the socket
    case 2003:  // cannot connect to host
    case 2006:  // server has gone away
    case 2013:  // lost connection during query
    case 2055:  // lost connection (system error)
    case 1053:  // server shutdown in progress
    case 1927:  // connection was killed
    case 1317:  // query execution was interrupted
      return true;
    default:
      return false;
  }
}

void WriteStatusFile(const lake::RawTierLayout& layout, const ReplicationMetrics& metrics) {
  const fs::path path = ReplicationStatusPath(layout);
  const fs::path temp = path.string() + ".tmp";
  nlohmann::json status = metrics.ToJson();
  status["pid"] = static_cast<int64_t>(::getpid());
  {
    std::ofstream out(temp, std::ios::trunc);
    out << status.dump(1) << '\n';
    if (!out) return;  // status is best effort; the manifest is what counts
  }
  std::error_code ec;
  fs::rename(temp, path, ec);
}

// Adds selected tables the state does not know yet as pending.
void AddNewTables(const ReplicationOptions& options, ReplicationCheckpoint& checkpoint) {
  auto connection = source::MysqlConnection::Connect(options.endpoint);
  source::SourceSchemaReader reader(connection);
  bool any_schema = false;
  std::vector<std::string> schemas = options.selection.Schemas(any_schema);
  if (any_schema) {
    schemas.clear();
    for (const auto& row : connection.Query(
             "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME NOT IN "
             "('mysql','information_schema','performance_schema','sys')")) {
      if (row[0]) schemas.push_back(*row[0]);
    }
  }
  const ReplicationState state = checkpoint.State();
  std::vector<std::pair<std::string, std::string>> added;
  for (const auto& schema : schemas) {
    for (const auto& table : reader.ListTables(schema)) {
      if (!options.selection.Selects(schema, table)) continue;
      const auto it = state.tables.find(schema + "." + table);
      if (it == state.tables.end() || it->second.state == TableState::kDropped) {
        added.emplace_back(schema, table);
      }
    }
  }
  if (added.empty()) return;
  checkpoint.Commit({}, [&](ReplicationState& s) {
    for (const auto& [schema, table] : added) {
      TableProgress& t = s.tables[schema + "." + table];
      t.schema = schema;
      t.table = table;
      t.state = TableState::kPending;
    }
  });
  core::log::Info("replication_tables_selected", {{"new_tables", added.size()}});
}

}  // namespace

fs::path ReplicationStatusPath(const lake::RawTierLayout& layout) {
  return layout.StateDir() / "status.json";
}

ReplicationTask::ReplicationTask(ReplicationOptions options, const std::atomic<bool>& stop)
    : options_(std::move(options)), stop_(stop) {}

void ReplicationTask::Resnapshot(const lake::RawTierLayout& layout) {
  auto checkpoint = ReplicationCheckpoint::Open(layout);
  checkpoint.Reset();
  core::log::Info("replication_reset", {{"lake", layout.lake_root().string()}});
}

void ReplicationTask::Run() {
  auto checkpoint = ReplicationCheckpoint::Open(options_.layout);
  const fs::path spill_dir = options_.layout.StateDir() / "spill";
  fs::create_directories(spill_dir);
  engine::Database database(
      "", {{"memory_limit", std::to_string(options_.memory_limit_bytes / (1 << 20)) + "MB"},
           {"temp_directory", spill_dir.string()},
           {"threads", "2"}});

  // The status file is refreshed once a second by its own thread, so it
  // stays current while a long chunk or a quiet binlog blocks the main loop.
  std::mutex status_mutex;
  std::condition_variable status_wake;
  bool status_done = false;
  std::thread status_thread([&] {
    std::unique_lock lock(status_mutex);
    while (!status_done) {
      WriteStatusFile(options_.layout, metrics_);
      status_wake.wait_for(lock, std::chrono::seconds(1));
    }
    WriteStatusFile(options_.layout, metrics_);
  });
  struct StatusThreadJoin {
    std::mutex& mutex;
    std::condition_variable& wake;
    bool& done;
    std::thread& thread;
    ~StatusThreadJoin() {
      {
        std::lock_guard lock(mutex);
        done = true;
      }
      wake.notify_all();
      thread.join();
    }
  } join_status{status_mutex, status_wake, status_done, status_thread};

  std::unique_ptr<source::CharsetTranscoder> transcoder;
  auto backoff = options_.reconnect_min;
  while (!stop_) {
    try {
      if (!transcoder) {
        auto connection = source::MysqlConnection::Connect(options_.endpoint);
        transcoder = std::make_unique<source::CharsetTranscoder>(
            source::CharsetTranscoder::FromServer(connection));
      }
      ReplicationContext context{options_, checkpoint, database, *transcoder, metrics_, stop_};
      AddNewTables(options_, checkpoint);
      FullLoader(context).LoadPendingTables();
      if (stop_) break;
      if (options_.stop_after_load) break;
      const auto outcome = ChangeCapture(context).Run();
      backoff = options_.reconnect_min;
      if (outcome == ChangeCapture::Outcome::kCaughtUp) break;
    } catch (const source::BinlogPositionPurgedError& e) {
      const auto position = checkpoint.State().position;
      const std::string message =
          "the source no longer has the binlog position replication must resume from (" +
          (position ? FormatBinlogPosition(*position) : std::string("?")) +
          "): changes since then are lost to CDC. Run `futureim replicate --resnapshot` to load "
          "every table again from a fresh snapshot (and raise the source's binlog retention)";
      metrics_.SetPhase("error");
      metrics_.SetError(message);
      throw core::Error(message);
    } catch (const source::SourceError& e) {
      const bool lost = dynamic_cast<const source::BinlogConnectionLostError*>(&e) != nullptr;
      if (!lost && !IsTransient(e)) {
        metrics_.SetPhase("error");
        metrics_.SetError(e.what());
        throw;
      }
      metrics_.SetPhase("reconnecting");
      metrics_.SetError(e.what());
      core::log::Warn("replication_source_lost",
                      {{"error", e.what()}, {"retry_in_ms", backoff.count()}});
      // Whatever was read but not committed is read again after reconnecting.
      const auto deadline = std::chrono::steady_clock::now() + backoff;
      while (!stop_ && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      backoff = std::min(backoff * 2, options_.reconnect_max);
    }
  }
  metrics_.SetPhase("stopped");
}

}  // namespace futureim::replicate
