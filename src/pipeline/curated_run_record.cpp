#include "pipeline/curated_run_record.h"

#include <fstream>
#include <sstream>

#include "core/error.h"
#include "lake/local_object_store.h"
#include "lake/tier_layout.h"

namespace futureim::pipeline {

nlohmann::json CuratedRunRecord::ToJson() const {
  return {{"run_id", run_id},
          {"table", table},
          {"source", source},
          {"raw_commit", raw_commit},
          {"from_commit", from_commit},
          {"last_seq", last_seq},
          {"rows", rows},
          {"quarantined", quarantined},
          {"quarantine_rules", quarantine_rules},
          {"changes_read", changes_read},
          {"raw_files_read", raw_files_read},
          {"encrypted", encrypted},
          {"created_at", created_at},
          {"quality", quality.ToJson()}};
}

CuratedRunRecord CuratedRunRecord::FromJson(const nlohmann::json& json) {
  CuratedRunRecord record;
  record.run_id = json.at("run_id").get<std::string>();
  record.table = json.value("table", "");
  record.source = json.value("source", "");
  record.raw_commit = json.at("raw_commit").get<uint64_t>();
  record.from_commit = json.value("from_commit", uint64_t{0});
  record.last_seq = json.value("last_seq", uint64_t{0});
  record.rows = json.value("rows", uint64_t{0});
  record.quarantined = json.value("quarantined", uint64_t{0});
  record.quarantine_rules = json.value("quarantine_rules", std::map<std::string, uint64_t>{});
  record.changes_read = json.value("changes_read", uint64_t{0});
  record.raw_files_read = json.value("raw_files_read", uint64_t{0});
  record.encrypted = json.value("encrypted", false);
  record.created_at = json.value("created_at", "");
  if (json.contains("quality")) record.quality = QualityScore::FromJson(json.at("quality"));
  return record;
}

std::optional<CuratedRunRecord> CuratedRunRecord::Read(const std::filesystem::path& run_dir) {
  const auto file = run_dir / lake::RunTierLayout::kRunMetadataName;
  std::ifstream in(file);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  try {
    return FromJson(nlohmann::json::parse(text.str()));
  } catch (const nlohmann::json::exception& e) {
    throw core::Error("the curation run record " + file.string() + " is damaged (" + e.what() +
                      "); delete the run folder's `_current` pointer to recurate the table");
  }
}

void CuratedRunRecord::Write(const std::filesystem::path& run_dir) const {
  lake::AtomicFileWriter writer(run_dir / lake::RunTierLayout::kRunMetadataName);
  writer.Write(ToJson().dump(2) + "\n");
  writer.Commit();
}

}  // namespace futureim::pipeline
