#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/duckdb.h"
#include "lake/raw_tier_layout.h"
#include "replicate/raw_table_schema.h"
#include "source/binlog_column_value.h"
#include "source/charset_transcoder.h"

namespace futureim::replicate {

// A Parquet file written but not yet committed: it has a hidden in-progress
// name inside its partition folder until ReplicationCheckpoint::Commit
// renames it.
struct StagedFile {
  std::filesystem::path path;
  std::string schema;
  std::string table;
  int64_t day = 0;  // partition: days since 1970-01-01 (UTC)
  uint64_t rows = 0;
};

// Values that could not be stored as the source had them, counted so that
// status and logs can say so (a zero date becomes NULL, as SPEC.md §2 asks).
struct ConversionWarnings {
  uint64_t zero_dates = 0;
  uint64_t unsupported_values = 0;
};

// Buffers row changes per table and writes them as ZSTD Parquet files in the
// raw tier's layout. One per thread (not thread-safe); the DuckDB database
// may be shared by several writers, each with its own connection.
//
// Memory stays bounded by `spill_bytes`: when the buffered rows reach it, the
// writer writes them out as staged files (hidden names) even in the middle of
// a source transaction, so a transaction of any size streams through; the
// files become part of the lake only when a commit takes them. A schema
// change of a table (different columns) also writes out what was buffered
// under the old schema: each file has one schema, and readers combine files
// by column name.
class RawChangeWriter {
 public:
  struct Options {
    uint64_t spill_bytes = 32ull << 20;
  };

  RawChangeWriter(engine::Database& database, lake::RawTierLayout layout,
                  const source::CharsetTranscoder& transcoder, Options options);
  RawChangeWriter(const RawChangeWriter&) = delete;
  RawChangeWriter& operator=(const RawChangeWriter&) = delete;
  ~RawChangeWriter();

  // Appends one row change. `row` has one value per column of `table` (a
  // row image of a FULL binlog row image or a snapshot row); for a truncate
  // marker pass an empty row (all columns NULL).
  void Append(const RawTableSchema& table, char op, int64_t commit_ts_us, uint64_t seq,
              const source::RowImage& row);

  // Approximate bytes held in the buffer (not yet written to files).
  uint64_t buffered_bytes() const { return buffered_bytes_; }
  uint64_t buffered_rows() const { return buffered_rows_; }

  // Writes every buffered row to staged files.
  void Spill();
  // Spill(), then hands over every staged file written since the last call.
  std::vector<StagedFile> TakeStagedFiles();
  // Forgets buffered rows and deletes staged files (after a failure, before
  // retrying from the last commit).
  void Discard();

  // The warnings counted since the last call.
  ConversionWarnings TakeWarnings() { return std::exchange(warnings_, {}); }

 private:
  struct TableBuffer;

  TableBuffer& BufferFor(const RawTableSchema& table);
  void SpillTable(TableBuffer& buffer);

  engine::Connection connection_;
  lake::RawTierLayout layout_;
  const source::CharsetTranscoder& transcoder_;
  Options options_;
  // Keyed by "schema.table"; one buffer table per source table at a time.
  std::map<std::string, std::unique_ptr<TableBuffer>> buffers_;
  TableBuffer* last_buffer_ = nullptr;  // the buffer of the last Append, in buffers_
  std::vector<StagedFile> staged_;
  uint64_t buffered_bytes_ = 0;
  uint64_t buffered_rows_ = 0;
  uint64_t buffer_counter_ = 0;
  uint64_t file_counter_ = 0;
  std::string writer_id_;
  ConversionWarnings warnings_;
};

// Appends one source value to a DuckDB appender column of `column`'s raw
// type: the one conversion from source values to lake values, used by the
// writer and by `verify`. Returns the approximate bytes the value occupies.
uint64_t AppendRawValue(engine::Appender& appender, const RawColumn& column,
                        const source::ColumnValue& value,
                        const source::CharsetTranscoder& transcoder, ConversionWarnings& warnings);

// Parses a DECIMAL's exact text ("-12.340") into DuckDB's scaled integer at
// `scale` digits. Throws core::Error when it does not fit width/scale.
engine::Decimal ParseDecimalText(const std::string& text, uint8_t width, uint8_t scale);

}  // namespace futureim::replicate
