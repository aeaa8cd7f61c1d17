#include "query/connection_lockdown.h"

#include <algorithm>

#include "engine/sql_text.h"

namespace futureim::query {

using engine::PathListLiteral;

void LockDownToFiles(engine::Connection& connection,
                     const std::vector<std::filesystem::path>& readable_files) {
  // DuckDB checks paths as given, so list them absolute and normalised, the
  // same spelling the views use.
  std::vector<std::filesystem::path> paths;
  paths.reserve(readable_files.size());
  for (const auto& file : readable_files) {
    paths.push_back(std::filesystem::absolute(file).lexically_normal());
  }
  std::sort(paths.begin(), paths.end());
  paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
  // The order matters: each SET is refused once lock_configuration is on.
  connection.Execute("SET allowed_directories = []");
  connection.Execute("SET allowed_paths = " + PathListLiteral(paths));
  connection.Execute("SET enable_external_access = false");
  connection.Execute("SET lock_configuration = true");
}

}  // namespace futureim::query
