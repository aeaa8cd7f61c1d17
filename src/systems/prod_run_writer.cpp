#include "systems/prod_run_writer.h"

#include <fstream>

#include "core/error.h"
#include "lake/local_object_store.h"

namespace futureim::systems {

namespace fs = std::filesystem;

namespace {

bool IsTableName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

}  // namespace

ProdRunWriter::ProdRunWriter(lake::RunTierLayout tier, std::string system, std::string run_id,
                             const lake::ParquetFiles& files)
    : tier_(std::move(tier)),
      system_(std::move(system)),
      run_id_(std::move(run_id)),
      files_(files) {
  if (!lake::RunTierLayout::IsValidRunId(run_id_)) {
    throw core::Error("invalid run id '" + run_id_ + "'");
  }
}

uint64_t ProdRunWriter::Write(std::string_view table, std::string_view select_sql) {
  if (!IsTableName(table)) {
    throw core::Error(system_ + ": '" + std::string(table) +
                      "' is not a prod table name ([a-z0-9_]+, at most 64 characters)");
  }
  for (const auto& written : written_) {
    if (written.table == table) {
      throw core::Error(system_ + ": table " + std::string(table) + " written twice in one run");
    }
  }
  const fs::path dir = tier_.RunDir(table, run_id_);
  fs::create_directories(dir);
  const uint64_t rows = files_.Write(std::string(select_sql), dir / "part-0.parquet");
  written_.push_back({std::string(table), rows});
  return rows;
}

void ProdRunWriter::Publish(const nlohmann::json& metrics, std::string_view created_at) {
  for (const auto& written : written_) {
    const nlohmann::json record = {{"run_id", run_id_},
                                   {"system", system_},
                                   {"table", written.table},
                                   {"rows", written.rows},
                                   {"encrypted", files_.encrypt_writes()},
                                   {"created_at", created_at},
                                   {"metrics", metrics}};
    lake::AtomicFileWriter writer(tier_.RunMetadataPath(written.table, run_id_));
    writer.Write(record.dump(2) + "\n");
    writer.Commit();
  }
  for (const auto& written : written_) tier_.Publish(written.table, run_id_);
}

}  // namespace futureim::systems
