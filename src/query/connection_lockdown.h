#pragma once

#include <filesystem>
#include <vector>

#include "engine/duckdb.h"

namespace futureim::query {

// Closes a query database to everything but the files of its lake views, for
// good: after this call no SQL on any connection of `database`'s instance can
// read another file, write any file, attach a database, load an extension or
// change a setting (DuckDB 1.4.4, verified by tests/unit/query):
//
//   allowed_paths = <exactly these files>   -- what the views read, nothing else
//                                           -- (not even the rest of the lake:
//                                           -- uncommitted or in-progress files)
//   enable_external_access = false          -- every other path is refused,
//                                           -- LOAD/INSTALL/ATTACH of files too
//   lock_configuration = true               -- SET/RESET can no longer undo it
//
// Call it after the views exist (creating a view binds it, which reads the
// files) and before any user SQL. These are global settings: they hold for
// every connection of the database. The views keep working because they read
// only listed files. getenv() does not exist in embedded DuckDB (only in its
// shell), so there is no environment to hide.
void LockDownToFiles(engine::Connection& connection,
                     const std::vector<std::filesystem::path>& readable_files);

}  // namespace futureim::query
