#include "generate/mysql_bulk_loader.h"

#include <atomic>
#include <cstring>

#include "core/error.h"

namespace futureim::generate {
namespace {

constexpr size_t kChunkBytes = 4 << 20;

// LOAD DATA's default text format: tab between fields, newline after rows,
// backslash escapes, \N for NULL.
void AppendLoadField(std::string& out, std::string_view value) {
  for (char c : value) {
    switch (c) {
      case '\\':
        out.append("\\\\");
        break;
      case '\t':
        out.append("\\t");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\0':
        out.append("\\0");
        break;
      default:
        out.push_back(c);
    }
  }
}

// The in-memory "file" that Connector/C reads when the server asks for the
// LOCAL INFILE named in the statement.
struct InfileSource {
  const std::string* data = nullptr;
  size_t offset = 0;
};

int InfileInit(void** state, const char*, void* userdata) {
  auto* source = static_cast<InfileSource*>(userdata);
  source->offset = 0;
  *state = source;
  return 0;
}

int InfileRead(void* state, char* buffer, unsigned int length) {
  auto* source = static_cast<InfileSource*>(state);
  const size_t n = std::min<size_t>(length, source->data->size() - source->offset);
  std::memcpy(buffer, source->data->data() + source->offset, n);
  source->offset += n;
  return static_cast<int>(n);
}

void InfileEnd(void*) {}

int InfileError(void*, char* message, unsigned int length) {
  std::snprintf(message, length, "in-memory infile failed");
  return 2000;
}

}  // namespace

MysqlBulkLoader::MysqlBulkLoader(const source::SourceEndpoint& endpoint, int connections)
    : endpoint_(endpoint), queue_limit_(static_cast<size_t>(std::max(1, connections)) * 2) {
  source::ConnectOptions options;
  options.local_infile = true;
  for (int i = 0; i < std::max(1, connections); ++i) {
    auto connection = source::MysqlConnection::Connect(endpoint, options);
    // Session-only: other sessions keep every check.
    connection.Execute("SET SESSION foreign_key_checks = 0");
    connection.Execute("SET SESSION unique_checks = 0");
    connection.Execute("SET SESSION time_zone = '+00:00'");
    connection.Execute("SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION'");
    connections_.push_back(std::move(connection));
  }
  for (size_t i = 0; i < connections_.size(); ++i) {
    threads_.emplace_back([this, i] { LoaderLoop(i); });
  }
}

MysqlBulkLoader::~MysqlBulkLoader() {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
  }
  not_empty_.notify_all();
  not_full_.notify_all();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

void MysqlBulkLoader::AddKeysAfterLoad(std::vector<std::string> statements) {
  after_load_ = std::move(statements);
}

void MysqlBulkLoader::Write(StoreTable table, const StoreRow& row) {
  const size_t t = static_cast<size_t>(table);
  std::string& out = buffers_[t];
  for (size_t i = 0; i < row.size(); ++i) {
    if (i > 0) out.push_back('\t');
    if (row.is_null(i)) {
      out.append("\\N");
    } else {
      AppendLoadField(out, row.field(i));
    }
  }
  out.push_back('\n');
  Count(table);
  if (out.size() >= kChunkBytes) Dispatch(t);
}

void MysqlBulkLoader::Dispatch(size_t table) {
  if (buffers_[table].empty()) return;
  std::unique_lock lock(mutex_);
  not_full_.wait(lock, [&] { return queue_.size() < queue_limit_ || failure_; });
  if (failure_) {
    lock.unlock();
    RethrowFailure();
  }
  queue_.push_back({static_cast<StoreTable>(table), std::move(buffers_[table])});
  buffers_[table] = std::string();
  buffers_[table].reserve(kChunkBytes + 4096);
  lock.unlock();
  not_empty_.notify_one();
}

void MysqlBulkLoader::LoaderLoop(size_t index) {
  while (true) {
    Chunk chunk;
    {
      std::unique_lock lock(mutex_);
      not_empty_.wait(lock, [&] { return !queue_.empty() || closing_ || failure_; });
      if (failure_ || queue_.empty()) return;
      chunk = std::move(queue_.front());
      queue_.pop_front();
    }
    not_full_.notify_one();
    try {
      LoadChunk(connections_[index], chunk);
    } catch (...) {
      std::lock_guard lock(mutex_);
      if (!failure_) failure_ = std::current_exception();
      not_full_.notify_all();
      not_empty_.notify_all();
      return;
    }
  }
}

void MysqlBulkLoader::LoadChunk(source::MysqlConnection& connection, const Chunk& chunk) {
  InfileSource source{&chunk.data, 0};
  mysql_set_local_infile_handler(connection.handle(), InfileInit, InfileRead, InfileEnd,
                                 InfileError, &source);
  std::string sql = "LOAD DATA LOCAL INFILE 'futureim-generate' INTO TABLE ";
  sql += TableName(chunk.table);
  sql += " CHARACTER SET utf8mb4 (";
  bool first = true;
  for (auto column : TableColumns(chunk.table)) {
    if (!first) sql += ", ";
    sql += column;
    first = false;
  }
  sql += ")";
  connection.Execute(sql);
  if (mysql_warning_count(connection.handle()) > 0) {
    auto warnings = connection.Query("SHOW WARNINGS LIMIT 1");
    std::string detail = warnings.empty() || !warnings[0][2] ? "" : *warnings[0][2];
    throw core::Error("loading " + std::string(TableName(chunk.table)) + " into " +
                      endpoint_.Describe() + " produced a warning (rows would be lost): " + detail);
  }
}

void MysqlBulkLoader::RethrowFailure() {
  std::exception_ptr failure;
  {
    std::lock_guard lock(mutex_);
    failure = failure_;
  }
  if (failure) std::rethrow_exception(failure);
}

void MysqlBulkLoader::Finish() {
  if (finished_) return;
  finished_ = true;
  for (size_t t = 0; t < kStoreTableCount; ++t) Dispatch(t);
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
  }
  not_empty_.notify_all();
  for (auto& thread : threads_) thread.join();
  threads_.clear();
  RethrowFailure();
  if (!queue_.empty()) throw std::logic_error("bulk loader stopped with chunks queued");
  for (size_t t = 0; t < kStoreTableCount; ++t) {
    const auto table = static_cast<StoreTable>(t);
    const auto count =
        connections_[0].QueryScalar("SELECT COUNT(*) FROM " + std::string(TableName(table)));
    if (count != std::to_string(row_counts()[t])) {
      throw core::Error("loading " + std::string(TableName(table)) + " into " +
                        endpoint_.Describe() + " stored " + count.value_or("?") + " rows of " +
                        std::to_string(row_counts()[t]) + " written");
    }
  }
  RunAfterLoad();
}

void MysqlBulkLoader::RunAfterLoad() {
  // Each statement builds one table's indexes (a sort of its rows); the
  // connections take the statements in turn. A child's foreign key waits
  // for its parent's ALTER (metadata lock) but never the other way round.
  std::atomic<size_t> next = 0;
  std::vector<std::thread> workers;
  for (size_t i = 0; i < std::min(connections_.size(), after_load_.size()); ++i) {
    workers.emplace_back([this, i, &next] {
      for (size_t k = next++; k < after_load_.size(); k = next++) {
        try {
          connections_[i].Execute(after_load_[k]);
        } catch (...) {
          std::lock_guard lock(mutex_);
          if (!failure_) failure_ = std::current_exception();
          return;
        }
      }
    });
  }
  for (auto& worker : workers) worker.join();
  after_load_.clear();
  RethrowFailure();
}

}  // namespace futureim::generate
