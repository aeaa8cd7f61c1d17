#pragma once

// Shared by the simulator's integration tests: the real futureim binary and
// readers for the ground truth files (the private MariaDB per suite and query
// helpers come from support/mariadb_suite.h).

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "source/mysql_connection.h"
#include "support/mariadb_suite.h"
#include "support/private_mariadb.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace futureim::testing {

// A CSV file as a header-indexed table (RFC 4180 quoting).
struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;

  size_t Column(const std::string& name) const {
    for (size_t i = 0; i < header.size(); ++i) {
      if (header[i] == name) return i;
    }
    throw std::runtime_error("no column " + name);
  }
};

inline std::vector<std::string> SplitCsvLine(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

inline CsvTable ReadCsv(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  CsvTable table;
  std::string line;
  std::getline(in, line);
  table.header = SplitCsvLine(line);
  while (std::getline(in, line)) table.rows.push_back(SplitCsvLine(line));
  return table;
}

// Pearson correlation of two equally long series.
inline double Correlation(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  double mx = 0, my = 0;
  for (size_t i = 0; i < x.size(); ++i) mx += x[i] / n, my += y[i] / n;
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxy / std::sqrt(sxx * syy);
}

inline nlohmann::json ReadJson(const std::filesystem::path& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

inline std::string StoreUri(const source::SourceEndpoint& store) {
  return "mysql://" + store.user + "@127.0.0.1:" + std::to_string(store.port) + "/" +
         store.database;
}

// Runs `futureim --log-level warn generate <args>` against nothing in
// particular; the caller passes --target.
inline ProcessResult RunGenerate(const std::vector<std::string>& args,
                                 const std::map<std::string, std::string>& env = {}) {
  std::vector<std::string> argv = {FutureimBinary(), "--log-level", "warn", "generate"};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProcess(argv, env);
}

}  // namespace futureim::testing
