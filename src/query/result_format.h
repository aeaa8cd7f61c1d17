#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "query/query_runner.h"

namespace futureim::query {

enum class ResultFormat { kTable, kCsv, kJson };

// "table", "csv", "json"; nullopt for anything else.
std::optional<ResultFormat> ParseResultFormat(std::string_view name);

// Aligned columns with a header and a rule; NULL shown as "NULL"; numbers
// right-aligned; a footer with the row count (and "truncated" when it was).
std::string FormatAsTable(const QueryResult& result);

// RFC 4180: a header row, CRLF line ends, fields with a comma, quote, CR or
// LF quoted with quotes doubled; NULL is an empty field (as an empty string
// would be ambiguous, the empty string is written as "").
std::string FormatAsCsv(const QueryResult& result);

// A JSON array with one object per row, keys in column order. NULL is null;
// BOOLEAN true/false; integers, FLOAT and DOUBLE are numbers (NaN and
// infinities, which JSON lacks, are the strings "nan", "inf", "-inf");
// DECIMAL is a string with its exact digits (a JSON number would be read as
// a binary double by most clients and lose cents); BLOB is base64; every
// other type is its DuckDB text (dates, timestamps, intervals, UUIDs...).
std::string FormatAsJson(const QueryResult& result);

std::string Format(const QueryResult& result, ResultFormat format);

}  // namespace futureim::query
