#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace futureim::lake {

// Where the versioned tiers keep their tables: `curated/` (the current state
// per source table, written by curation) and `prod/<system>/` (each analytics
// system's outputs). Both use the same run layout:
//
//   <tier root>/<table>/run=<run id>/<any name>.parquet   (one run's files)
//   <tier root>/<table>/_current                          (the current run id)
//
// Invariant (what makes a run atomic for readers): a writer writes every file
// of a run first and then replaces `_current` (temp + rename, a one-line
// text file holding the run id), so a reader that follows `_current` never
// sees a half-written run; older runs stay until they are cleaned up. Files
// whose names start with '.' or '_' inside a run are not data (temporaries,
// markers). A table without `_current` has no published run yet.
//
// This is the reader's contract, written down for the query views before the
// curation work lands; the writer must follow it (docs/ARCHITECTURE.md).
class RunTierLayout {
 public:
  // curated/ of the lake at `lake_root`.
  static RunTierLayout Curated(const std::filesystem::path& lake_root);
  // prod/<system>/ of the lake at `lake_root`.
  static RunTierLayout Prod(const std::filesystem::path& lake_root, std::string_view system);
  // The analytics systems that have a folder under prod/, sorted.
  static std::vector<std::string> ProdSystems(const std::filesystem::path& lake_root);

  const std::filesystem::path& Root() const { return root_; }
  std::filesystem::path TableDir(std::string_view table) const;
  std::filesystem::path RunDir(std::string_view table, std::string_view run_id) const;
  std::filesystem::path CurrentPointerPath(std::string_view table) const;
  // The run's metadata (JSON), written by the run's writer before `_current`
  // moves. Its optional "quality" object is the table's data-quality score
  // for that run, read by the catalog (docs/ARCHITECTURE.md, "Catalog").
  std::filesystem::path RunMetadataPath(std::string_view table, std::string_view run_id) const;

  // "run=<run id>".
  static std::string RunDirName(std::string_view run_id);
  // Run ids are non-empty and use only [A-Za-z0-9._-] (no '/', no "..").
  static bool IsValidRunId(std::string_view run_id);

  // The tables with a folder in this tier, sorted.
  std::vector<std::string> Tables() const;
  // The run `_current` names; nullopt when the table has no published run.
  // Throws core::Error when the pointer is unreadable or names an invalid run.
  std::optional<std::string> CurrentRun(std::string_view table) const;
  // The Parquet files of the current run, sorted by name; empty when there is
  // no published run. Throws core::Error when `_current` names a missing run.
  std::vector<std::filesystem::path> CurrentFiles(std::string_view table) const;
  // The ids of every run folder of a table (published or not), sorted.
  std::vector<std::string> Runs(std::string_view table) const;
  // The Parquet files of one run, sorted by name (empty when it has none).
  std::vector<std::filesystem::path> RunFiles(std::string_view table,
                                              std::string_view run_id) const;

  // Writer side. Points `_current` of `table` at `run_id` (temp + fsync +
  // rename): readers see the old run or the new one, never a mix. The run's
  // files must be complete (and fsync'ed) before.
  void Publish(std::string_view table, std::string_view run_id) const;
  // Deletes the run folders of `table` except the current run and the
  // `keep - 1` newest complete runs before it (run ids sort in time order;
  // complete: its writer got as far as the run's metadata file). Runs newer
  // than the current one, and older runs without metadata, are leftovers of a
  // killed or failed writer and go too. Only
  // call with the tier's writer lock held. Returns the runs deleted.
  std::vector<std::string> PruneRuns(std::string_view table, size_t keep) const;
  // The id of a run started at `time`: "20261124T223000.123456Z" (UTC,
  // microseconds), so ids sort in time order.
  static std::string RunIdAt(std::chrono::system_clock::time_point time);

  static constexpr std::string_view kCurrentPointerName = "_current";
  static constexpr std::string_view kRunMetadataName = "_run.json";

 private:
  explicit RunTierLayout(std::filesystem::path root) : root_(std::move(root)) {}

  std::filesystem::path root_;
};

// One writer at a time per tier folder: an exclusive flock on
// <tier root>/.writer.lock, held for the object's lifetime (released by the
// kernel if the process dies, so a killed writer never blocks the next).
// Throws core::Error naming `holder` when another writer has it.
class RunTierWriterLock {
 public:
  RunTierWriterLock(const std::filesystem::path& tier_root, std::string_view holder);
  ~RunTierWriterLock();
  RunTierWriterLock(const RunTierWriterLock&) = delete;
  RunTierWriterLock& operator=(const RunTierWriterLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace futureim::lake
