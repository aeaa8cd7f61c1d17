#include "query/result_format.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "engine/text.h"

namespace futureim::query {
namespace {

constexpr std::string_view kNullText = "NULL";

std::string Base64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const uint32_t n = (static_cast<uint8_t>(bytes[i]) << 16) |
                       (static_cast<uint8_t>(bytes[i + 1]) << 8) |
                       static_cast<uint8_t>(bytes[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i < bytes.size()) {
    uint32_t n = static_cast<uint8_t>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<uint8_t>(bytes[i + 1]) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// BLOB values hold raw bytes; table and CSV show them as DuckDB prints them.
std::string CellText(const QueryColumn& column, const QueryValue& value) {
  if (!value) return std::string(kNullText);
  return column.json_kind == JsonKind::kBlob ? engine::FormatBlob(*value) : *value;
}

// Display width in code points (good enough for aligned output of UTF-8).
size_t DisplayWidth(std::string_view text) {
  return static_cast<size_t>(std::count_if(
      text.begin(), text.end(), [](char c) { return (static_cast<uint8_t>(c) & 0xC0) != 0x80; }));
}

void Pad(std::string& out, std::string_view text, size_t width, bool right) {
  const size_t fill = width - std::min(width, DisplayWidth(text));
  if (right) out.append(fill, ' ');
  out += text;
  if (!right) out.append(fill, ' ');
}

std::string CsvField(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos && !text.empty()) {
    return std::string(text);
  }
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

bool IsFiniteNumberText(std::string_view text) {
  return text != "nan" && text != "-nan" && text != "inf" && text != "-inf";
}

}  // namespace

std::optional<ResultFormat> ParseResultFormat(std::string_view name) {
  if (name == "table") return ResultFormat::kTable;
  if (name == "csv") return ResultFormat::kCsv;
  if (name == "json") return ResultFormat::kJson;
  return std::nullopt;
}

std::string FormatAsTable(const QueryResult& result) {
  const size_t count = result.columns.size();
  std::vector<size_t> widths(count);
  std::vector<std::vector<std::string>> cells;
  cells.reserve(result.rows.size());
  for (size_t c = 0; c < count; ++c) widths[c] = DisplayWidth(result.columns[c].name);
  for (const auto& row : result.rows) {
    auto& texts = cells.emplace_back();
    for (size_t c = 0; c < count; ++c) {
      texts.push_back(CellText(result.columns[c], row[c]));
      widths[c] = std::max(widths[c], DisplayWidth(texts.back()));
    }
  }
  std::string out;
  auto line = [&](auto&& text_of, auto&& right_of) {
    for (size_t c = 0; c < count; ++c) {
      if (c > 0) out += " | ";
      Pad(out, text_of(c), widths[c], right_of(c));
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += '\n';
  };
  line([&](size_t c) -> std::string_view { return result.columns[c].name; },
       [](size_t) { return false; });
  for (size_t c = 0; c < count; ++c) {
    if (c > 0) out += "-+-";
    out.append(widths[c], '-');
  }
  out += '\n';
  for (const auto& texts : cells) {
    line([&](size_t c) -> std::string_view { return texts[c]; },
         [&](size_t c) { return result.columns[c].json_kind == JsonKind::kNumber; });
  }
  out += "(" + std::to_string(result.rows.size()) + (result.rows.size() == 1 ? " row" : " rows");
  if (result.truncated) out += "; truncated: more rows exist";
  out += ")\n";
  return out;
}

std::string FormatAsCsv(const QueryResult& result) {
  std::string out;
  for (size_t c = 0; c < result.columns.size(); ++c) {
    if (c > 0) out += ',';
    out += CsvField(result.columns[c].name);
  }
  out += "\r\n";
  for (const auto& row : result.rows) {
    for (size_t c = 0; c < result.columns.size(); ++c) {
      if (c > 0) out += ',';
      if (row[c]) out += CsvField(CellText(result.columns[c], row[c]));
    }
    out += "\r\n";
  }
  return out;
}

std::string FormatAsJson(const QueryResult& result) {
  std::string out = "[";
  for (size_t r = 0; r < result.rows.size(); ++r) {
    out += r == 0 ? "\n  {" : ",\n  {";
    for (size_t c = 0; c < result.columns.size(); ++c) {
      const QueryColumn& column = result.columns[c];
      const QueryValue& value = result.rows[r][c];
      if (c > 0) out += ", ";
      out += nlohmann::json(column.name).dump();
      out += ": ";
      if (!value) {
        out += "null";
      } else if (column.json_kind == JsonKind::kBlob) {
        out += '"' + Base64(*value) + '"';
      } else if ((column.json_kind == JsonKind::kNumber && IsFiniteNumberText(*value)) ||
                 column.json_kind == JsonKind::kBoolean) {
        out += *value;
      } else {
        // Invalid UTF-8 cannot reach here (VARCHAR is UTF-8 in DuckDB), but
        // replace rather than throw if it ever does.
        out +=
            nlohmann::json(*value).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      }
    }
    out += "}";
  }
  out += result.rows.empty() ? "]\n" : "\n]\n";
  return out;
}

std::string Format(const QueryResult& result, ResultFormat format) {
  switch (format) {
    case ResultFormat::kTable:
      return FormatAsTable(result);
    case ResultFormat::kCsv:
      return FormatAsCsv(result);
    case ResultFormat::kJson:
      return FormatAsJson(result);
  }
  return {};
}

}  // namespace futureim::query
