#include "lake/lake_mirror.h"

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "lake/raw_tier_layout.h"
#include "lake/tier_layout.h"

namespace futureim::lake {

namespace fs = std::filesystem;

namespace {

// Where the catalog keeps its file (catalog/lake_catalog.h writes it; the
// lake layer only copies it).
constexpr const char* kCatalogKey = "_futureim/catalog.json";

class LakePush {
 public:
  LakePush(const fs::path& lake_root, ObjectStore& store) : root_(lake_root), store_(store) {
    for (const auto& object : store_.List("")) remote_[object.key] = object.size;
  }

  void Run() {
    // Pointer contents are captured before the data they name is sent, and
    // published as captured: a run or commit landing during the push is
    // named only by the next push.
    std::vector<std::pair<std::string, std::string>> pointers;  // key, content
    PushRaw(pointers);
    std::set<std::string> live_runs;  // "<tier root key>/<table>/run=<id>/"
    PushRunTier(RunTierLayout::Curated(root_), pointers, live_runs);
    for (const auto& system : RunTierLayout::ProdSystems(root_)) {
      PushRunTier(RunTierLayout::Prod(root_, system), pointers, live_runs);
    }
    for (const auto& [key, content] : pointers) {
      store_.Publish(key, content);
      ++report_.pointers;
    }
    DeletePrunedRuns(live_runs);
  }

  const LakePushReport& report() const { return report_; }

 private:
  std::string KeyOf(const fs::path& file) const {
    return fs::relative(file, root_).generic_string();
  }

  static std::string ReadFile(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw core::Error("cannot read " + file.string());
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
  }

  void PushData(const fs::path& file) {
    const std::string key = KeyOf(file);
    const uint64_t size = fs::file_size(file);
    const auto remote = remote_.find(key);
    if (remote != remote_.end() && remote->second == size) {
      ++report_.unchanged_objects;
      return;
    }
    store_.PutFile(key, file);
    ++report_.uploaded_objects;
    report_.uploaded_bytes += size;
  }

  void PushRaw(std::vector<std::pair<std::string, std::string>>& pointers) {
    const RawTierLayout raw(root_);
    if (!fs::exists(raw.ManifestPath())) return;
    // The manifest first, then the files up to the commit read after it
    // (never older than the manifest's): every file it names is sent; files
    // of a later commit are invisible to readers until a manifest names them.
    const std::string manifest = ReadFile(raw.ManifestPath());
    const uint64_t commit = raw.LastCommit();
    for (const auto& table : raw.Tables()) {
      for (const auto& file : raw.CommittedFiles(table.schema, table.table, commit)) PushData(file);
    }
    pointers.emplace_back(KeyOf(raw.ManifestPath()), manifest);
    if (fs::exists(root_ / kCatalogKey)) {
      pointers.emplace_back(kCatalogKey, ReadFile(root_ / kCatalogKey));
    }
  }

  void PushRunTier(const RunTierLayout& tier,
                   std::vector<std::pair<std::string, std::string>>& pointers,
                   std::set<std::string>& live_runs) {
    for (const auto& table : tier.Tables()) {
      const auto run = tier.CurrentRun(table);
      if (!run) continue;
      const fs::path run_dir = tier.RunDir(table, *run);
      for (const auto& entry : fs::recursive_directory_iterator(run_dir)) {
        if (!entry.is_regular_file()) continue;
        if (entry.path().filename().string().front() == '.') continue;  // temporaries
        PushData(entry.path());
      }
      for (const auto& kept : tier.Runs(table)) {
        live_runs.insert(KeyOf(tier.RunDir(table, kept)) + "/");
      }
      pointers.emplace_back(KeyOf(tier.CurrentPointerPath(table)), *run + "\n");
    }
  }

  // Objects inside a run folder ("…/<table>/run=<id>/…") of curated/ or
  // prod/ whose run no longer exists locally.
  void DeletePrunedRuns(const std::set<std::string>& live_runs) {
    for (const auto& [key, size] : remote_) {
      if (key.rfind("curated/", 0) != 0 && key.rfind("prod/", 0) != 0) continue;
      const size_t run = key.find("/run=");
      if (run == std::string::npos) continue;
      const size_t end = key.find('/', run + 1);
      if (end == std::string::npos) continue;
      if (live_runs.count(key.substr(0, end + 1))) continue;
      store_.Delete(key);
      ++report_.deleted_objects;
    }
  }

  fs::path root_;
  ObjectStore& store_;
  std::map<std::string, uint64_t> remote_;
  LakePushReport report_;
};

}  // namespace

LakePushReport PushLakeToStore(const fs::path& lake_root, ObjectStore& store) {
  LakePush push(lake_root, store);
  push.Run();
  return push.report();
}

}  // namespace futureim::lake
