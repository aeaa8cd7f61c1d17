#pragma once

// CREATE EXTERNAL TABLE statements that let Athena, Trino (Hive connector) or
// Spark read the lake's Parquet files where they lie (`futureim catalog ddl`).

#include <optional>
#include <string>
#include <string_view>

#include "catalog/lake_catalog.h"

namespace futureim::catalog {

enum class SqlDialect { kAthena, kTrino, kSpark };

// "athena", "trino", "spark"; nullopt for anything else.
std::optional<SqlDialect> ParseSqlDialect(std::string_view name);

// The dialect's spelling of a lake column type (a DuckDB type name as the
// catalog records it: "INTEGER", "DECIMAL(12,2)", "TIMESTAMP WITH TIME ZONE",
// "VARCHAR[]"...), chosen so the engine reads the Parquet column as is;
// nullopt when the dialect cannot read that type from Parquet (e.g. HUGEINT,
// unsigned integers, UUID, STRUCT, MAP).
std::optional<std::string> ExternalColumnType(std::string_view lake_type, SqlDialect dialect);

// The statements for one table: CREATE TABLE over its location under
// `location_root` (a URI ending in '/', e.g. "s3://bucket/lake/" or
// "file:///var/lake/"), then the dialect's partition-discovery statement for
// a partitioned table. Raw tables are partitioned by commit_date (declared
// last, as a string); curated and prod tables point at their current run's
// folder. A table that cannot be declared (no columns yet, or a column type
// the dialect cannot read) gives comment lines saying why instead.
std::string ExternalTableDdl(const CatalogTable& table, SqlDialect dialect,
                             std::string_view location_root);

// Every table of the catalog, grouped by schema, each schema created first.
std::string LakeDdl(const LakeCatalog& catalog, SqlDialect dialect, std::string_view location_root);

}  // namespace futureim::catalog
