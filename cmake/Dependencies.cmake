# Third-party dependencies: Debian packages, plus DuckDB from the npm registry
# (prebuilt, cached outside the tree by scripts/fetch-duckdb.sh).

find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(nlohmann_json 3.11 REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(CLI11 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(CURL REQUIRED)

pkg_check_modules(MARIADB REQUIRED IMPORTED_TARGET libmariadb)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)

# DuckDB 1.4.4: libduckdb.so + duckdb.h, linked with an rpath to the cache.
set(FUTUREIM_DUCKDB_DIR "$ENV{HOME}/.cache/futureim/duckdb-1.4.4" CACHE PATH "DuckDB cache folder")
if(DEFINED ENV{FUTUREIM_DUCKDB_DIR})
  set(FUTUREIM_DUCKDB_DIR "$ENV{FUTUREIM_DUCKDB_DIR}")
endif()
if(NOT EXISTS "${FUTUREIM_DUCKDB_DIR}/.complete")
  message(FATAL_ERROR "DuckDB not found in ${FUTUREIM_DUCKDB_DIR}: run scripts/setup.sh")
endif()
add_library(duckdb SHARED IMPORTED GLOBAL)
set_target_properties(duckdb PROPERTIES
  IMPORTED_LOCATION "${FUTUREIM_DUCKDB_DIR}/lib/libduckdb.so"
  INTERFACE_INCLUDE_DIRECTORIES "${FUTUREIM_DUCKDB_DIR}/include")
set(CMAKE_BUILD_RPATH "${FUTUREIM_DUCKDB_DIR}/lib")
set(CMAKE_INSTALL_RPATH "${FUTUREIM_DUCKDB_DIR}/lib")

# Eigen 3.4 (header-only) and XGBoost 1.7's C API. XGBoost's CMake config
# needs the `xgboost` CLI package too, so find the library and header directly.
find_package(Eigen3 3.4 REQUIRED NO_MODULE)
find_library(XGBOOST_LIBRARY NAMES xgboost REQUIRED)
find_path(XGBOOST_INCLUDE_DIR NAMES xgboost/c_api.h REQUIRED)
add_library(xgboost SHARED IMPORTED GLOBAL)
set_target_properties(xgboost PROPERTIES
  IMPORTED_LOCATION "${XGBOOST_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${XGBOOST_INCLUDE_DIR}")
