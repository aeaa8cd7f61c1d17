#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace futureim::engine {

// Quoting for DuckDB SQL that this program writes itself (view definitions,
// COPY targets, settings).
// User SQL is never assembled from pieces.

// "name" with embedded quotes doubled.
std::string QuoteIdentifier(std::string_view name);
// 'text' with embedded quotes doubled.
std::string QuoteLiteral(std::string_view text);
// ['a', 'b'] : a DuckDB list literal of the paths as strings.
std::string PathListLiteral(const std::vector<std::filesystem::path>& paths);

}  // namespace futureim::engine
