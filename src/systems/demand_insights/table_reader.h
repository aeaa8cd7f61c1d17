#pragma once

#include <cmath>
#include <functional>
#include <string>
#include <string_view>

#include "engine/duckdb.h"

namespace futureim::systems::demand_insights {

// One row of a query whose columns are DOUBLE or VARCHAR (the queries of this
// system cast to those two types, so reading is uniform). NULL reads as NaN
// or "".
class RowView {
 public:
  RowView(const engine::DataChunk& chunk, idx_t row) : chunk_(chunk), row_(row) {}
  double Number(idx_t column) const {
    const auto view = chunk_.Column(column);
    return view.IsNull(row_) ? std::nan("") : view.Get<double>(row_);
  }
  std::string Text(idx_t column) const {
    const auto view = chunk_.Column(column);
    return view.IsNull(row_) ? std::string() : std::string(view.GetString(row_));
  }

 private:
  const engine::DataChunk& chunk_;
  idx_t row_;
};

// Runs `sql` and calls `visit` for every row.
void ForEachRow(engine::Connection& connection, std::string_view sql,
                const std::function<void(const RowView&)>& visit);

// DATE 'YYYY-MM-DD' for a day number (days since 1970-01-01).
std::string DateLiteral(int64_t day);

}  // namespace futureim::systems::demand_insights
