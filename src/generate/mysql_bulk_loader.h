#pragma once

#include <array>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "generate/row_sink.h"
#include "source/mysql_connection.h"
#include "source/source_endpoint.h"

namespace futureim::generate {

// Loads rows into the store's tables with LOAD DATA LOCAL INFILE streamed
// from memory (no temporary files), over several connections in parallel.
//
// Rows are encoded into per-table chunks of a few megabytes in LOAD DATA's
// text format; full chunks go to a bounded queue that the loader threads
// drain, one LOAD statement per chunk. Each loader session turns off
// foreign_key_checks and unique_checks for itself only: chunks of children
// may land before their parents, and the generator guarantees both (every
// reference resolves, keys are unique) — Finish verifies the row counts, since
// LOAD DATA LOCAL would turn a duplicate key into a warning and skip the row,
// and then adds the keys that were deferred (AddKeysAfterLoad); a duplicate
// in a unique key fails that ALTER TABLE.
class MysqlBulkLoader : public RowSink {
 public:
  MysqlBulkLoader(const source::SourceEndpoint& endpoint, int connections);
  ~MysqlBulkLoader() override;

  // Statements (ALTER TABLE … ADD KEY …) that Finish runs after the rows are
  // in and counted, in parallel over the loader's connections, whose
  // foreign_key_checks = 0 lets foreign keys be added without a scan.
  void AddKeysAfterLoad(std::vector<std::string> statements);

  void Write(StoreTable table, const StoreRow& row) override;
  // Sends the last chunks, waits for every loader, checks the tables' row
  // counts against what was written; rethrows the first loader failure.
  void Finish() override;

 private:
  struct Chunk {
    StoreTable table;
    std::string data;
  };
  void Dispatch(size_t table);
  void LoaderLoop(size_t index);
  void LoadChunk(source::MysqlConnection& connection, const Chunk& chunk);
  void RethrowFailure();
  void RunAfterLoad();

  source::SourceEndpoint endpoint_;
  std::vector<source::MysqlConnection> connections_;
  std::vector<std::thread> threads_;
  std::array<std::string, kStoreTableCount> buffers_;

  std::mutex mutex_;
  std::condition_variable not_empty_;
  std::condition_variable not_full_;
  std::deque<Chunk> queue_;
  size_t queue_limit_;
  bool closing_ = false;
  std::exception_ptr failure_;
  bool finished_ = false;
  std::vector<std::string> after_load_;
};

}  // namespace futureim::generate
