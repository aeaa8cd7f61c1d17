#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "source/mysql_connection.h"
#include "source/source_endpoint.h"

namespace futureim::generate {

// Where `futureim generate` puts the store: a MySQL/MariaDB database
// (`mysql://user[:password]@host:port/db`) or a folder of CSV files (`csv:DIR`).
struct StoreTarget {
  enum class Kind { kMysql, kCsv };
  Kind kind = Kind::kMysql;
  source::SourceEndpoint endpoint;      // kMysql
  std::filesystem::path csv_directory;  // kCsv

  // Parses the target; `password` is used when the URI has none. Throws
  // core::Error for anything else, or a MySQL URI without a database.
  static StoreTarget Parse(std::string_view text, const std::string& password);
  std::string Describe() const;
  // The default truth folder: `truth/` beside the CSV folder, `./truth` for
  // a database.
  std::filesystem::path DefaultTruthDirectory() const;
};

// True when any of the ten store tables exists and holds a row.
bool StoreHasData(source::MysqlConnection& connection);

// Drops the ten store tables (children first), if they exist.
void DropStore(source::MysqlConnection& connection);

}  // namespace futureim::generate
