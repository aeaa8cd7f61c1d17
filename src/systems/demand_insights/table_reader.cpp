#include "systems/demand_insights/table_reader.h"

#include <cstdio>

#include "core/civil_date.h"

namespace futureim::systems::demand_insights {

void ForEachRow(engine::Connection& connection, std::string_view sql,
                const std::function<void(const RowView&)>& visit) {
  auto result = connection.Query(sql);
  while (auto chunk = result.NextChunk()) {
    for (idx_t row = 0; row < chunk->Size(); ++row) visit(RowView(*chunk, row));
  }
}

std::string DateLiteral(int64_t day) {
  const auto date = core::CivilFromDays(day);
  char text[32];
  std::snprintf(text, sizeof text, "DATE '%04d-%02d-%02d'", date.year, date.month, date.day);
  return text;
}

}  // namespace futureim::systems::demand_insights
