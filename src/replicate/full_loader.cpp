#include "replicate/full_loader.h"

#include <array>
#include <chrono>
#include <exception>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/log.h"
#include "replicate/raw_change_writer.h"
#include "source/snapshot_reader.h"
#include "source/source_schema_reader.h"

namespace futureim::replicate {
namespace {

bool NeedsLoad(const TableProgress& table) {
  return table.state == TableState::kPending || table.state == TableState::kLoading;
}

// Server error: the table's definition changed after the snapshot began.
constexpr int kTableDefinitionChanged = 1412;
constexpr int kNoSuchTable = 1146;

}  // namespace

void FullLoader::LoadPendingTables() {
  std::vector<std::string> queue;
  for (const auto& [name, table] : context_.checkpoint.State().tables) {
    if (NeedsLoad(table)) queue.push_back(name);
  }
  if (queue.empty()) return;
  context_.metrics.SetPhase("loading");

  std::mutex mutex;
  size_t next = 0;
  std::exception_ptr failure;
  std::atomic<bool> failed{false};
  auto worker = [&] {
    for (;;) {
      std::string name;
      {
        std::lock_guard lock(mutex);
        if (next == queue.size() || failed || context_.stop) return;
        name = queue[next++];
      }
      try {
        LoadTable(name);
      } catch (...) {
        std::lock_guard lock(mutex);
        if (!failure) failure = std::current_exception();
        failed = true;
        return;
      }
    }
  };
  const size_t thread_count =
      std::min(queue.size(), static_cast<size_t>(std::max(1, context_.options.parallel_tables)));
  std::vector<std::thread> threads;
  for (size_t i = 1; i < thread_count; ++i) threads.emplace_back(worker);
  worker();
  for (auto& thread : threads) thread.join();
  if (failure) std::rethrow_exception(failure);
}

void FullLoader::LoadTable(const std::string& qualified_name) {
  for (int attempt = 1;; ++attempt) {
    const TableProgress progress = context_.checkpoint.State().tables.at(qualified_name);
    const bool fresh = progress.state == TableState::kPending;
    auto snapshot = source::SnapshotReader::Begin(context_.options.endpoint);
    // Read the description after the snapshot began: a later ALTER then
    // fails the snapshot's reads (error 1412) instead of going unnoticed.
    auto schema_connection = source::MysqlConnection::Connect(context_.options.endpoint);
    source::TableMap table_map;
    std::vector<ForeignKeyRule> foreign_keys;
    try {
      source::SourceSchemaReader reader(schema_connection);
      table_map = reader.ReadTable(progress.schema, progress.table);
      foreign_keys = ReadForeignKeyRules(reader, progress.schema, progress.table);
    } catch (const source::SourceError& e) {
      if (e.code() != kNoSuchTable) throw;
      core::log::Warn("replication_table_gone", {{"table", qualified_name}});
      context_.checkpoint.Commit({}, [&](ReplicationState& state) {
        state.tables.at(qualified_name).state = TableState::kDropped;
      });
      return;
    }
    const RawTableSchema schema = RawTableSchema::FromTableMap(table_map);
    if (schema.primary_key.empty()) {
      core::log::Warn(
          "replication_table_without_primary_key",
          {{"table", qualified_name},
           {"effect", "loaded whole in one read; its changes cannot be merged by key"}});
    }

    // A transcoder per thread: it keeps converter state.
    const auto transcoder = source::CharsetTranscoder::FromServer(schema_connection);
    // Two writers take turns: the commit of one chunk (Parquet, fsync,
    // manifest) runs while the next chunk is read, so the server keeps
    // sending rows meanwhile. At most one commit is in flight and each waits
    // for the one before, so commits stay in chunk order and a restart
    // resumes after the last committed chunk exactly as before.
    std::array<std::unique_ptr<RawChangeWriter>, 2> writers;
    for (auto& w : writers) {
      w = std::make_unique<RawChangeWriter>(context_.database, context_.options.layout, transcoder,
                                            RawChangeWriter::Options{context_.options.flush_bytes});
    }
    std::future<void> in_flight;  // declared after the writers: destroyed (joined) first
    auto finish_in_flight = [&] {
      if (in_flight.valid()) in_flight.get();  // rethrows the commit's failure
    };
    SeqAllocator seqs(context_.checkpoint);
    bool first_chunk = true;
    source::SnapshotReader::Key after;
    if (!fresh) {
      for (const auto& part : progress.load.after_key) after.push_back(HexDecode(part));
    }
    try {
      for (size_t chunk = 0;; ++chunk) {
        if (context_.stop) {
          finish_in_flight();
          return;
        }
        RawChangeWriter& writer = *writers[chunk % 2];
        if (first_chunk && fresh && progress.counters.loads > 0) {
          // A reload: everything the lake holds of this table goes first.
          writer.Append(schema, kOpTruncate, snapshot.started_at_us(), seqs.Next(), {});
        }
        source::SnapshotReader::Key last_key;
        const auto read_start = std::chrono::steady_clock::now();
        const uint64_t rows = snapshot.ReadChunk(
            table_map, after, context_.options.chunk_rows,
            [&](const source::RowImage& row) {
              writer.Append(schema, kOpLoad, snapshot.started_at_us(), seqs.Next(), row);
            },
            last_key);
        const auto read_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::steady_clock::now() - read_start)
                                 .count();
        const bool done = schema.primary_key.empty() || rows < context_.options.chunk_rows;
        const bool starts_load = first_chunk && fresh;
        finish_in_flight();  // the previous chunk is committed; its writer is free again
        in_flight = std::async(std::launch::async, [&, rows, done, starts_load, read_ms, last_key] {
          const auto commit_start = std::chrono::steady_clock::now();
          context_.checkpoint.Commit(writer.TakeStagedFiles(), [&](ReplicationState& state) {
            TableProgress& t = state.tables.at(qualified_name);
            if (starts_load) {
              t.load = TableLoadProgress{};
              t.load.capture_from = snapshot.position();
              ++t.counters.loads;
              if (progress.counters.loads > 0) ++t.counters.truncates;
            } else if (!t.load.capture_from) {
              t.load.capture_from = snapshot.position();
            }
            if (!state.position || BinlogPositionLess(*t.load.capture_from, *state.position)) {
              state.position = t.load.capture_from;
            }
            t.load.after_key.clear();
            for (const auto& part : last_key) t.load.after_key.push_back(HexEncode(part));
            ++t.load.chunks;
            t.load.done = done;
            t.state = done ? TableState::kStreaming : TableState::kLoading;
            t.columns = schema.columns;
            t.primary_key = schema.primary_key;
            t.foreign_keys = foreign_keys;
            t.counters.rows_loaded += rows;
            t.counters.last_commit_at_us = WallClockMicros();
            const ConversionWarnings warnings = writer.TakeWarnings();
            state.zero_dates += warnings.zero_dates;
            state.unsupported_values += warnings.unsupported_values;
          });
          context_.metrics.AddRowsLoaded(qualified_name, rows);
          core::log::Debug("replication_chunk_loaded",
                           {{"table", qualified_name},
                            {"rows", rows},
                            {"read_ms", read_ms},
                            {"commit_ms", std::chrono::duration_cast<std::chrono::milliseconds>(
                                              std::chrono::steady_clock::now() - commit_start)
                                              .count()}});
        });
        first_chunk = false;
        if (done) {
          finish_in_flight();
          core::log::Info(
              "replication_table_loaded",
              {{"table", qualified_name},
               {"rows",
                context_.checkpoint.State().tables.at(qualified_name).counters.rows_loaded}});
          snapshot.End();
          return;
        }
        after = std::move(last_key);
      }
    } catch (const source::SourceError& e) {
      if (e.code() != kTableDefinitionChanged || attempt >= 3) throw;
      finish_in_flight();
      for (auto& w : writers) w->Discard();
      core::log::Info("replication_table_changed_during_load", {{"table", qualified_name}});
    }
  }
}

}  // namespace futureim::replicate
