#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "source/mysql_connection.h"

namespace futureim::generate {

// The classic ten-table eCommerce store schema (SPEC.md §1): table and column
// names, types, defaults and keys are a contract that existing stores and the
// analytics systems rely on. Every table is InnoDB, utf8mb4 /
// utf8mb4_unicode_ci, keyed by a VARCHAR(36) UUID string.

// The table names, parents before children (the order foreign keys need for
// creating, and the reverse order for dropping).
std::span<const std::string_view> StoreTableNames();

// One `CREATE TABLE IF NOT EXISTS` statement per table, in StoreTableNames()
// order, without a trailing ';' and without a database qualifier.
std::vector<std::string> StoreSchemaStatements();

// Creates the tables that do not exist yet in the connection's current
// database (idempotent; existing tables are left as they are). Throws
// core::Error when no database is selected, source::SourceError when the
// server refuses a statement.
void ApplyStoreSchema(source::MysqlConnection& connection);

}  // namespace futureim::generate
