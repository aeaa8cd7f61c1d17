#include "lake/tier_layout.h"

#include <algorithm>
#include <ctime>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "core/error.h"
#include "lake/local_object_store.h"

namespace futureim::lake {
namespace fs = std::filesystem;

namespace {

// Hidden ('.') and reserved ('_') names are never tables, systems or data.
bool IsDataName(const std::string& name) {
  return !name.empty() && name[0] != '.' && name[0] != '_';
}

std::vector<std::string> SubfolderNames(const fs::path& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    if (entry.is_directory() && IsDataName(name)) names.push_back(std::move(name));
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

RunTierLayout RunTierLayout::Curated(const fs::path& lake_root) {
  return RunTierLayout(lake_root / "curated");
}

RunTierLayout RunTierLayout::Prod(const fs::path& lake_root, std::string_view system) {
  return RunTierLayout(lake_root / "prod" / std::string(system));
}

std::vector<std::string> RunTierLayout::ProdSystems(const fs::path& lake_root) {
  return SubfolderNames(lake_root / "prod");
}

fs::path RunTierLayout::TableDir(std::string_view table) const {
  return root_ / std::string(table);
}

fs::path RunTierLayout::RunDir(std::string_view table, std::string_view run_id) const {
  return TableDir(table) / RunDirName(run_id);
}

fs::path RunTierLayout::CurrentPointerPath(std::string_view table) const {
  return TableDir(table) / std::string(kCurrentPointerName);
}

fs::path RunTierLayout::RunMetadataPath(std::string_view table, std::string_view run_id) const {
  return RunDir(table, run_id) / std::string(kRunMetadataName);
}

std::string RunTierLayout::RunDirName(std::string_view run_id) {
  return "run=" + std::string(run_id);
}

bool RunTierLayout::IsValidRunId(std::string_view run_id) {
  if (run_id.empty() || run_id == "." || run_id == "..") return false;
  return std::all_of(run_id.begin(), run_id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

std::vector<std::string> RunTierLayout::Tables() const { return SubfolderNames(root_); }

std::optional<std::string> RunTierLayout::CurrentRun(std::string_view table) const {
  const fs::path pointer = CurrentPointerPath(table);
  std::error_code ec;
  if (!fs::exists(pointer, ec)) return std::nullopt;
  std::ifstream in(pointer);
  if (!in) throw core::Error("cannot read the current-run pointer " + pointer.string());
  std::stringstream text;
  text << in.rdbuf();
  std::string run_id = text.str();
  while (!run_id.empty() && (run_id.back() == '\n' || run_id.back() == '\r' ||
                             run_id.back() == ' ' || run_id.back() == '\t')) {
    run_id.pop_back();
  }
  if (!IsValidRunId(run_id)) {
    throw core::Error("the current-run pointer " + pointer.string() +
                      " does not hold a valid run id (expected [A-Za-z0-9._-]+)");
  }
  return run_id;
}

std::vector<fs::path> RunTierLayout::CurrentFiles(std::string_view table) const {
  const auto run_id = CurrentRun(table);
  if (!run_id) return {};
  const fs::path run_dir = RunDir(table, *run_id);
  std::error_code ec;
  if (!fs::is_directory(run_dir, ec)) {
    throw core::Error("the current-run pointer of " + TableDir(table).string() + " names run " +
                      *run_id + ", which does not exist");
  }
  return RunFiles(table, *run_id);
}

std::vector<std::string> RunTierLayout::Runs(std::string_view table) const {
  std::vector<std::string> runs;
  for (const std::string& name : SubfolderNames(TableDir(table))) {
    const std::string prefix = RunDirName("");
    if (name.starts_with(prefix) && IsValidRunId(name.substr(prefix.size()))) {
      runs.push_back(name.substr(prefix.size()));
    }
  }
  return runs;
}

std::vector<fs::path> RunTierLayout::RunFiles(std::string_view table,
                                              std::string_view run_id) const {
  std::vector<fs::path> files;
  std::error_code ec;
  const fs::path run_dir = RunDir(table, run_id);
  if (!fs::is_directory(run_dir, ec)) return files;
  for (const auto& entry : fs::directory_iterator(run_dir)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && IsDataName(name) && entry.path().extension() == ".parquet") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

void RunTierLayout::Publish(std::string_view table, std::string_view run_id) const {
  if (!IsValidRunId(run_id)) {
    throw core::Error("cannot publish run '" + std::string(run_id) + "': invalid run id");
  }
  AtomicFileWriter pointer(CurrentPointerPath(table));
  pointer.Write(std::string(run_id) + "\n");
  pointer.Commit();
}

std::vector<std::string> RunTierLayout::PruneRuns(std::string_view table, size_t keep) const {
  const auto current = CurrentRun(table);
  const auto runs = Runs(table);
  std::vector<std::string> deleted;
  size_t older_kept = 0;
  for (auto it = runs.rbegin(); it != runs.rend(); ++it) {
    bool keep_run = false;
    if (current && *it == *current) {
      keep_run = true;
    } else if (current && *it < *current && older_kept + 1 < keep &&
               fs::exists(RunMetadataPath(table, *it))) {
      keep_run = true;
      ++older_kept;
    }
    if (keep_run) continue;
    fs::remove_all(RunDir(table, *it));
    deleted.push_back(*it);
  }
  return deleted;
}

std::string RunTierLayout::RunIdAt(std::chrono::system_clock::time_point time) {
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(micros / 1'000'000);
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%S", &utc);
  char fraction[16];
  std::snprintf(fraction, sizeof fraction, ".%06lldZ", static_cast<long long>(micros % 1'000'000));
  return std::string(text) + fraction;
}

RunTierWriterLock::RunTierWriterLock(const std::filesystem::path& tier_root,
                                     std::string_view holder) {
  std::filesystem::create_directories(tier_root);
  const std::filesystem::path file = tier_root / ".writer.lock";
  fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) throw core::Error("cannot open the writer lock " + file.string());
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd_);
    throw core::Error("another " + std::string(holder) + " is writing " + tier_root.string() +
                      " (lock " + file.string() + ")");
  }
}

RunTierWriterLock::~RunTierWriterLock() { ::close(fd_); }

}  // namespace futureim::lake
