#include "query/read_only_query_guard.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/utf8.h"
#include "query/query_error.h"

namespace futureim::query {
namespace {

constexpr std::string_view kAllowed =
    "only a single read-only query is allowed (SELECT, WITH … SELECT, VALUES, DESCRIBE, SUMMARIZE "
    "over the lake views)";

[[noreturn]] void Reject(const std::string& why) {
  throw QueryError(QueryErrorKind::kRejected, "query rejected: " + why);
}

void CheckText(std::string_view sql, size_t max_bytes) {
  if (sql.size() > max_bytes) {
    Reject("the query text is " + std::to_string(sql.size()) + " bytes; the limit is " +
           std::to_string(max_bytes));
  }
  if (std::all_of(sql.begin(), sql.end(),
                  [](char c) { return std::isspace(static_cast<unsigned char>(c)); })) {
    Reject("the query is empty");
  }
  if (sql.find('\0') != std::string_view::npos) Reject("the query text contains a NUL byte");
  if (const size_t offset = core::FirstInvalidUtf8(sql); offset != std::string_view::npos) {
    Reject("the query text is not valid UTF-8 (at byte " + std::to_string(offset) + ")");
  }
}

// The first keyword of the statement, upper-cased, skipping blanks, comments
// and opening parentheses. Only used to name what was refused in the error
// message: the decision itself is DuckDB's (see CheckSyntaxTree).
std::string LeadingKeyword(std::string_view sql) {
  size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    if (std::isspace(static_cast<unsigned char>(c)) || c == '(') {
      ++i;
    } else if (sql.substr(i, 2) == "--") {
      i = sql.find('\n', i);
      if (i == std::string_view::npos) return {};
    } else if (sql.substr(i, 2) == "/*") {
      i = sql.find("*/", i + 2);
      if (i == std::string_view::npos) return {};
      i += 2;
    } else {
      break;
    }
  }
  std::string keyword;
  while (i < sql.size() && std::isalpha(static_cast<unsigned char>(sql[i]))) {
    keyword.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(sql[i++]))));
  }
  return keyword;
}

std::string DescribeStatement(std::string_view sql) {
  const std::string keyword = LeadingKeyword(sql);
  struct Kind {
    std::initializer_list<std::string_view> keywords;
    const char* description;
  };
  static const Kind kKinds[] = {
      {{"CREATE", "DROP", "ALTER", "COMMENT"}, "DDL changes the catalog"},
      {{"INSERT", "UPDATE", "DELETE", "MERGE", "TRUNCATE", "UPSERT"}, "DML changes data"},
      {{"COPY"}, "COPY reads or writes files"},
      {{"ATTACH", "DETACH", "USE"}, "ATTACH/DETACH/USE change the databases in use"},
      {{"PRAGMA", "SET", "RESET"}, "PRAGMA/SET/RESET change settings"},
      {{"INSTALL", "LOAD", "FORCE"}, "INSTALL/LOAD add extensions"},
      {{"EXPORT", "IMPORT"}, "EXPORT/IMPORT DATABASE read or write files"},
      {{"CALL"}, "CALL runs a procedure"},
      {{"CHECKPOINT", "VACUUM", "ANALYZE"}, "maintenance statements change the database"},
      {{"EXPLAIN"}, "EXPLAIN is not supported (EXPLAIN ANALYZE runs the query without limits)"},
      {{"BEGIN", "START", "COMMIT", "ROLLBACK", "ABORT", "END", "TRANSACTION"},
       "transaction control is not needed for a single query"},
      {{"PREPARE", "EXECUTE", "DEALLOCATE"}, "prepared statements are not supported"},
      {{"WITH"}, "this WITH statement is not a SELECT"},
  };
  for (const Kind& kind : kKinds) {
    if (std::find(kind.keywords.begin(), kind.keywords.end(), keyword) != kind.keywords.end()) {
      return keyword + ": " + kind.description;
    }
  }
  return keyword.empty() ? "the statement is not a query" : keyword + " is not a query";
}

// Table functions a read-only query over the views may use: generators and
// listings of the in-memory catalog. Everything else (read_csv, read_parquet,
// read_json, read_text, read_blob, glob, query, query_table, sniff_csv,
// parquet_metadata, duckdb_settings, duckdb_secrets, pragma_*, checkpoint...)
// reads files, reads configuration or runs other SQL.
constexpr std::array<std::string_view, 11> kAllowedTableFunctions = {
    "range",           "generate_series",    "unnest",          "duckdb_schemas",
    "duckdb_tables",   "duckdb_views",       "duckdb_columns",  "duckdb_types",
    "duckdb_keywords", "duckdb_constraints", "duckdb_functions"};

// Scalar functions that expose the process's configuration or environment.
constexpr std::array<std::string_view, 5> kForbiddenScalarFunctions = {
    "current_setting", "getenv", "getvariable", "json_execute_serialized_sql",
    "json_deserialize_sql"};

// Built-in views over duckdb_settings() (the allowed paths, directories...).
constexpr std::array<std::string_view, 2> kForbiddenCatalogViews = {"pg_settings",
                                                                    "duckdb_settings"};

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

template <size_t N>
bool Contains(const std::array<std::string_view, N>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// A string member of a syntax-tree node, or "" (members such as "type" are
// strings on some nodes and objects on others).
std::string StringField(const nlohmann::json& node, const char* key) {
  const auto member = node.find(key);
  return member != node.end() && member->is_string() ? member->get<std::string>() : std::string();
}

// Walks every node of DuckDB's syntax tree (select lists, FROM, joins,
// subqueries, CTEs, window clauses...): the walk is generic over the JSON,
// so a new node kind cannot hide a function call from it.
void CheckNode(const nlohmann::json& node) {
  if (node.is_array()) {
    for (const auto& child : node) CheckNode(child);
    return;
  }
  if (!node.is_object()) return;
  const std::string type = StringField(node, "type");
  if (type == "TABLE_FUNCTION" && node.contains("function")) {
    const auto& function = node["function"];
    const std::string name = Lower(StringField(function, "function_name"));
    if (!Contains(kAllowedTableFunctions, name)) {
      Reject("table function " + name +
             "() is not allowed: read the lake through its views (raw.*, raw_current.*, "
             "curated.*, <system>.*); files and settings are out of reach");
    }
    if (const auto children = function.find("children"); children != function.end()) {
      CheckNode(*children);
    }
    for (const auto& [key, child] : node.items()) {
      if (key != "function") CheckNode(child);
    }
    return;
  }
  if (type == "BASE_TABLE") {
    const std::string table = StringField(node, "table_name");
    if (table.find_first_of("/\\:.") != std::string::npos) {
      Reject("'" + table +
             "' looks like a file: reading files is not allowed, only the lake views");
    }
    if (Contains(kForbiddenCatalogViews, Lower(table))) {
      Reject(table + " is not allowed: it exposes the configuration");
    }
  }
  if (StringField(node, "class") == "FUNCTION") {
    const std::string name = Lower(StringField(node, "function_name"));
    if (Contains(kForbiddenScalarFunctions, name)) {
      Reject("function " + name + "() is not allowed: it exposes the configuration");
    }
  }
  for (const auto& [key, child] : node.items()) CheckNode(child);
}

void CheckSyntaxTree(engine::Connection& connection, std::string_view sql) {
  // The text travels as a bound parameter: it is data to the serializer here.
  const auto serialized =
      connection.Query("SELECT json_serialize_sql($1::VARCHAR)", sql).ScalarText();
  nlohmann::json tree;
  try {
    tree = nlohmann::json::parse(serialized.value_or("{}"));
  } catch (const nlohmann::json::exception&) {
    Reject("DuckDB could not describe the statement");
  }
  if (tree.value("error", true)) {
    Reject(std::string(kAllowed) + "; " + DescribeStatement(sql));
  }
  const auto statements = tree.find("statements");
  if (statements == tree.end() || !statements->is_array() || statements->size() != 1) {
    Reject("expected exactly one statement");
  }
  CheckNode(*statements);
}

const char* StatementTypeName(duckdb_statement_type type) {
  switch (type) {
    case DUCKDB_STATEMENT_TYPE_INSERT:
      return "INSERT";
    case DUCKDB_STATEMENT_TYPE_UPDATE:
      return "UPDATE";
    case DUCKDB_STATEMENT_TYPE_DELETE:
      return "DELETE";
    case DUCKDB_STATEMENT_TYPE_EXPLAIN:
      return "EXPLAIN";
    case DUCKDB_STATEMENT_TYPE_PRAGMA:
      return "PRAGMA";
    case DUCKDB_STATEMENT_TYPE_CALL:
      return "CALL";
    case DUCKDB_STATEMENT_TYPE_COPY:
      return "COPY";
    default:
      return "a statement other than SELECT";
  }
}

// DuckDB expands some statements while splitting the text (IMPORT DATABASE
// reads the exported schema files): on a locked-down connection that fails
// with a permission error, which is a refusal to name as such.
engine::ExtractedStatements ExtractStatements(engine::Connection& connection,
                                              std::string_view sql) {
  try {
    return connection.ExtractStatements(sql);
  } catch (const engine::DuckDbError& e) {
    const std::string message = e.what();
    if (!message.starts_with("Permission Error")) throw;
    Reject(std::string(kAllowed) + "; " + DescribeStatement(sql) + " (" + message + ")");
  }
}

}  // namespace

engine::PreparedStatement ReadOnlyQueryGuard::Prepare(engine::Connection& connection,
                                                      std::string_view sql) const {
  CheckText(sql, max_sql_bytes_);
  try {
    engine::ExtractedStatements statements = ExtractStatements(connection, sql);
    if (statements.Count() == 0) Reject("the query has no statement (only comments or blanks)");
    if (statements.Count() > 1) {
      Reject("the text holds " + std::to_string(statements.Count()) +
             " statements; send exactly one read-only query (a PIVOT without an IN list "
             "counts as two: it creates a type first)");
    }
    CheckSyntaxTree(connection, sql);
    engine::PreparedStatement statement = statements.Prepare(0);
    if (statement.StatementType() != DUCKDB_STATEMENT_TYPE_SELECT) {
      Reject(std::string(kAllowed) + "; DuckDB classifies this one as " +
             StatementTypeName(statement.StatementType()));
    }
    if (statement.ParameterCount() != 0) Reject("the query has parameters ($1, ?) but no values");
    return statement;
  } catch (const engine::DuckDbError& e) {
    if (e.IsInterrupt()) throw;
    // The lock-down (the last layer) speaks through DuckDB's permission errors.
    const std::string message = e.what();
    if (message.starts_with("Permission Error")) Reject(message);
    throw QueryError(QueryErrorKind::kInvalid, "invalid query: " + message);
  }
}

}  // namespace futureim::query
