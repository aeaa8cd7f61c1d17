#pragma once

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

#include "generate/row_sink.h"

namespace futureim::generate {

// Writes the store as one RFC 4180 CSV file per table (`<table>.csv`, a header
// line, comma separated, '"' quoting where needed). SQL NULL is an empty
// unquoted field; an empty string is `""`. Every write is checked: a full disk
// or an unwritable folder is a core::Error naming the file.
class CsvStoreWriter : public RowSink {
 public:
  // Creates `directory` if needed. Throws core::Error when it cannot.
  explicit CsvStoreWriter(std::filesystem::path directory);
  ~CsvStoreWriter() override;

  void Write(StoreTable table, const StoreRow& row) override;
  // Flushes and closes every file, checking for errors.
  void Finish() override;

  // True when `directory` already holds any table's CSV file.
  static bool HasStore(const std::filesystem::path& directory);

 private:
  void Flush(size_t table);
  [[noreturn]] void Fail(size_t table, int error);

  std::filesystem::path directory_;
  std::array<FILE*, kStoreTableCount> files_{};
  std::array<std::string, kStoreTableCount> buffers_;
};

}  // namespace futureim::generate
