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

// One table's schema split for a bulk load: the table with its columns,
// primary key and checks, and the ALTER TABLE that adds its secondary and
// unique keys and foreign keys afterwards. Building an index once over loaded
// rows (a sort) is much cheaper than maintaining it row by row, when the
// random keys no longer fit the buffer pool. The keys are added in the order
// the schema lists them, so the table ends identical to StoreSchemaStatements().
struct BulkLoadSchema {
  std::string create_without_keys;
  std::string add_keys;  // empty when the table has no secondary key
};
// Throws std::invalid_argument for a name that is not a store table.
BulkLoadSchema SplitForBulkLoad(std::string_view table);

// Like ApplyStoreSchema, but the tables it creates get only their primary
// keys; returns the ALTER TABLE statements that complete them (run them after
// the load, in a session with foreign_key_checks = 0 so the foreign keys are
// added without re-reading every row). Tables that already exist are left
// as they are and need nothing.
std::vector<std::string> ApplyStoreSchemaDeferringKeys(source::MysqlConnection& connection);

}  // namespace futureim::generate
