#pragma once

// A small lake on disk, written exactly as the tier layouts say
// (lake/raw_tier_layout.h, lake/tier_layout.h), with real Parquet files
// written by DuckDB's COPY. Used by the query tests.

#include <filesystem>
#include <fstream>
#include <string>

#include "engine/duckdb.h"
#include "lake/raw_tier_layout.h"
#include "lake/tier_layout.h"

namespace futureim::testing {

class LakeFixtureWriter {
 public:
  explicit LakeFixtureWriter(std::filesystem::path lake_root)
      : root_(std::move(lake_root)), raw_(root_), connection_(database_) {
    for (const char* tier : {"raw", "curated", "prod"}) {
      std::filesystem::create_directories(root_ / tier);
    }
  }

  const std::filesystem::path& root() const { return root_; }

  // Writes the rows of `select` as raw file c<commit>_<index> of
  // schema.table in the partition of `date` ("YYYY-MM-DD").
  std::filesystem::path WriteRawFile(const std::string& schema, const std::string& table,
                                     const std::string& date, uint64_t commit, uint32_t index,
                                     const std::string& select) {
    const auto dir = raw_.TableDir(schema, table) /
                     (std::string(lake::RawTierLayout::kPartitionKey) + "=" + date);
    return Copy(select, dir / lake::RawTierLayout::CommittedFileName(commit, index));
  }

  // A file being written: hidden name, never visible to readers.
  std::filesystem::path WriteInProgressRawFile(const std::string& schema, const std::string& table,
                                               const std::string& date, const std::string& id,
                                               const std::string& select) {
    const auto dir = raw_.TableDir(schema, table) /
                     (std::string(lake::RawTierLayout::kPartitionKey) + "=" + date);
    return Copy(select, dir / lake::RawTierLayout::InProgressFileName(id));
  }

  void WriteManifest(const std::string& json) {
    std::filesystem::create_directories(raw_.StateDir());
    std::ofstream(raw_.ManifestPath()) << json;
  }

  // Writes run `run_id` of `table` in a run tier and, when `publish`, points
  // `_current` at it.
  std::filesystem::path WriteRun(const lake::RunTierLayout& tier, const std::string& table,
                                 const std::string& run_id, const std::string& select,
                                 bool publish) {
    const auto file = Copy(select, tier.RunDir(table, run_id) / "part-0.parquet");
    if (publish) std::ofstream(tier.CurrentPointerPath(table)) << run_id << "\n";
    return file;
  }

  std::filesystem::path Copy(const std::string& select, const std::filesystem::path& file) {
    std::filesystem::create_directories(file.parent_path());
    connection_.Execute("COPY (" + select + ") TO '" + file.string() + "' (FORMAT parquet)");
    return file;
  }

 private:
  std::filesystem::path root_;
  lake::RawTierLayout raw_;
  engine::Database database_;
  engine::Connection connection_;
};

// The shop the query tests share. ecommerce.orders (key order_id) over three
// commits: order 1 loaded then updated, order 2 deleted then re-inserted,
// order 3 untouched, order 4 inserted; plus a fourth, uncommitted commit and
// an in-progress file that no view may show. ecommerce.customers (key
// customer_id): two loaded rows, then a truncate marker and a reload of one
// customer, then an update of it. curated.orders has two runs, the second
// current; curated.drafts has no published run; prod/demand_insights_engine
// has customer_segments.
inline void WriteShopLake(LakeFixtureWriter& lake) {
  auto order = [](int id, int total, const char* op, int seq, const char* ts) {
    return "SELECT " + std::to_string(id) + "::INTEGER AS order_id, " + std::to_string(total) +
           "::DECIMAL(10,2) AS total, 'o" + std::to_string(id) + "' AS note, '" + op +
           "' AS _op, TIMESTAMPTZ '" + ts + "' AS _commit_ts, " + std::to_string(seq) +
           "::BIGINT AS _seq";
  };
  lake.WriteRawFile("ecommerce", "orders", "2024-01-01", 1, 0,
                    order(1, 10, "L", 1, "2024-01-01 10:00:00+00") + " UNION ALL " +
                        order(2, 20, "L", 2, "2024-01-01 10:00:00+00") + " UNION ALL " +
                        order(3, 30, "L", 3, "2024-01-01 10:00:00+00"));
  lake.WriteRawFile("ecommerce", "orders", "2024-01-02", 2, 0,
                    order(1, 11, "U", 4, "2024-01-02 09:00:00+00") + " UNION ALL " +
                        order(2, 20, "D", 5, "2024-01-02 09:00:00+00") + " UNION ALL " +
                        order(4, 40, "I", 6, "2024-01-02 09:00:00+00"));
  lake.WriteRawFile("ecommerce", "orders", "2024-01-02", 3, 0,
                    order(2, 22, "I", 7, "2024-01-02 09:30:00+00"));
  // Not committed: the manifest says 3.
  lake.WriteRawFile("ecommerce", "orders", "2024-01-03", 4, 0,
                    order(99, 990, "I", 8, "2024-01-03 09:00:00+00"));
  lake.WriteInProgressRawFile("ecommerce", "orders", "2024-01-03", "w1",
                              order(98, 980, "I", 9, "2024-01-03 09:00:00+00"));

  auto customer = [](const std::string& id, const char* name, const char* op, int seq) {
    return "SELECT " + id + "::INTEGER AS customer_id, " + name + "::VARCHAR AS name, '" + op +
           "' AS _op, TIMESTAMPTZ '2024-01-01 00:00:00+00' AS _commit_ts, " + std::to_string(seq) +
           "::BIGINT AS _seq";
  };
  lake.WriteRawFile(
      "ecommerce", "customers", "2024-01-01", 1, 1,
      customer("1", "'Ada'", "L", 1) + " UNION ALL " + customer("2", "'Bob'", "L", 2));
  lake.WriteRawFile(
      "ecommerce", "customers", "2024-01-02", 2, 1,
      customer("NULL", "NULL", "T", 10) + " UNION ALL " + customer("3", "'Cy'", "L", 11));
  lake.WriteRawFile("ecommerce", "customers", "2024-01-02", 3, 1, customer("3", "'Cyd'", "U", 12));

  lake.WriteManifest(R"({"commit": 3, "tables": {
      "ecommerce.orders": {"primary_key": ["order_id"],
                           "columns": [{"name": "order_id", "type": "INTEGER"}]},
      "ecommerce.customers": {"primary_key": ["customer_id"],
                              "columns": [{"name": "customer_id", "type": "INTEGER"}]}}})");

  const auto curated = lake::RunTierLayout::Curated(lake.root());
  lake.WriteRun(curated, "orders", "r1", "SELECT 1 AS order_id, 10.0 AS total", true);
  lake.WriteRun(curated, "orders", "r2",
                "SELECT * FROM (VALUES (1, 11.0), (3, 30.0)) t(order_id, total)", true);
  lake.WriteRun(curated, "drafts", "r1", "SELECT 1 AS x", false);
  const auto prod = lake::RunTierLayout::Prod(lake.root(), "demand_insights_engine");
  lake.WriteRun(prod, "customer_segments", "2024-01-03T00-00-00",
                "SELECT * FROM (VALUES (1, 'loyal'), (3, 'new')) t(customer_id, segment)", true);
}

}  // namespace futureim::testing
