#pragma once

#include <array>
#include <cstdint>

#include "generate/store_row.h"

namespace futureim::generate {

// Where generated rows go. The generator calls Write from one thread, rows of
// different tables interleaved (an order, its items, its payment...), and
// Finish once at the end; a sink may load in parallel behind that interface
// but must have stored every row, or thrown, when Finish returns.
class RowSink {
 public:
  virtual ~RowSink() = default;
  virtual void Write(StoreTable table, const StoreRow& row) = 0;
  virtual void Finish() = 0;
  // Rows written so far per table (for summaries and benchmarks).
  const std::array<uint64_t, kStoreTableCount>& row_counts() const { return row_counts_; }

 protected:
  void Count(StoreTable table) { ++row_counts_[static_cast<size_t>(table)]; }

 private:
  std::array<uint64_t, kStoreTableCount> row_counts_{};
};

}  // namespace futureim::generate
