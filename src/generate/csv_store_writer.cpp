#include "generate/csv_store_writer.h"

#include <cerrno>
#include <cstring>

#include "core/error.h"

namespace futureim::generate {
namespace {

constexpr size_t kFlushBytes = 1 << 20;

void AppendCsvField(std::string& out, std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos && !value.empty()) {
    out.append(value);
    return;
  }
  out.push_back('"');
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

std::string CsvPath(const std::filesystem::path& directory, size_t table) {
  return (directory / (std::string(TableName(static_cast<StoreTable>(table))) + ".csv")).string();
}

}  // namespace

CsvStoreWriter::CsvStoreWriter(std::filesystem::path directory) : directory_(std::move(directory)) {
  std::error_code error;
  std::filesystem::create_directories(directory_, error);
  if (error) {
    throw core::Error("cannot create the CSV folder " + directory_.string() + ": " +
                      error.message());
  }
  for (size_t t = 0; t < kStoreTableCount; ++t) {
    const std::string path = CsvPath(directory_, t);
    files_[t] = std::fopen(path.c_str(), "wb");
    if (files_[t] == nullptr) Fail(t, errno);
    std::string& header = buffers_[t];
    bool first = true;
    for (auto column : TableColumns(static_cast<StoreTable>(t))) {
      if (!first) header.push_back(',');
      header.append(column);
      first = false;
    }
    header.push_back('\n');
  }
}

CsvStoreWriter::~CsvStoreWriter() {
  for (FILE*& file : files_) {
    if (file != nullptr) std::fclose(file);
    file = nullptr;
  }
}

bool CsvStoreWriter::HasStore(const std::filesystem::path& directory) {
  std::error_code error;
  for (size_t t = 0; t < kStoreTableCount; ++t) {
    if (std::filesystem::exists(CsvPath(directory, t), error)) return true;
  }
  return false;
}

void CsvStoreWriter::Fail(size_t table, int error) {
  throw core::Error(
      "cannot write " + CsvPath(directory_, table) + ": " + std::strerror(error) +
      (error == ENOSPC ? " (the disk is full: free space or choose another folder)" : ""));
}

void CsvStoreWriter::Write(StoreTable table, const StoreRow& row) {
  const size_t t = static_cast<size_t>(table);
  std::string& out = buffers_[t];
  for (size_t i = 0; i < row.size(); ++i) {
    if (i > 0) out.push_back(',');
    if (row.is_null(i)) continue;
    const std::string_view value = row.field(i);
    if (value.empty()) {
      out.append("\"\"");
    } else {
      AppendCsvField(out, value);
    }
  }
  out.push_back('\n');
  Count(table);
  if (out.size() >= kFlushBytes) Flush(t);
}

void CsvStoreWriter::Flush(size_t table) {
  std::string& out = buffers_[table];
  if (out.empty()) return;
  if (std::fwrite(out.data(), 1, out.size(), files_[table]) != out.size()) Fail(table, errno);
  out.clear();
}

void CsvStoreWriter::Finish() {
  for (size_t t = 0; t < kStoreTableCount; ++t) {
    Flush(t);
    // fflush and fclose report a full disk that buffered writes hid.
    if (std::fflush(files_[t]) != 0) Fail(t, errno);
    FILE* file = files_[t];
    files_[t] = nullptr;
    if (std::fclose(file) != 0) Fail(t, errno);
  }
}

}  // namespace futureim::generate
