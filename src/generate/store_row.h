#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace futureim::generate {

// The ten store tables, in StoreTableNames() order (parents first).
enum class StoreTable {
  kCustomers,
  kCategories,
  kProducts,
  kInventory,
  kOrders,
  kOrderItems,
  kPayments,
  kShipments,
  kReviews,
  kPromotions,
};
inline constexpr size_t kStoreTableCount = 10;

std::string_view TableName(StoreTable table);
// The columns the generator writes, in the order of StoreRow fields. Every
// column is written explicitly (created_at/updated_at included), so the data
// is a pure function of the seed and not of the load's wall-clock time.
std::span<const std::string_view> TableColumns(StoreTable table);

// One row being built: fields appended in TableColumns() order into one
// reusable buffer, so producing millions of rows allocates nothing per row.
class StoreRow {
 public:
  void Clear() {
    text_.clear();
    ends_.clear();
    nulls_.clear();
  }
  StoreRow& Add(std::string_view value) {
    text_.append(value);
    Close(false);
    return *this;
  }
  StoreRow& Null() {
    Close(true);
    return *this;
  }
  // Empty strings become NULL (optional text columns).
  StoreRow& AddOrNull(std::string_view value) { return value.empty() ? Null() : Add(value); }
  StoreRow& Int(int64_t value);
  // Money in cents, written with two decimals ("-12.05").
  StoreRow& Cents(int64_t cents);
  StoreRow& Bool(bool value) { return Add(value ? "1" : "0"); }
  StoreRow& Timestamp(int64_t unix_seconds);

  size_t size() const { return ends_.size(); }
  bool is_null(size_t i) const { return nulls_[i] != 0; }
  std::string_view field(size_t i) const {
    const size_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(text_).substr(begin, ends_[i] - begin);
  }

 private:
  void Close(bool null) {
    ends_.push_back(text_.size());
    nulls_.push_back(null ? 1 : 0);
  }
  std::string text_;
  std::vector<size_t> ends_;
  std::vector<uint8_t> nulls_;
};

// Formats cents as a decimal with two places.
std::string FormatCents(int64_t cents);

}  // namespace futureim::generate
