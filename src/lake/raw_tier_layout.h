#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace futureim::lake {

// Where the replication engine's files live in the raw tier, and which of
// them are committed. The layout is plain Hive-partitioned Parquet so that
// Athena, Trino or Spark read it as is:
//
//   raw/<schema>/<table>/commit_date=YYYY-MM-DD/c<commit>_<n>.parquet
//   raw/_futureim/replication/manifest.json       (the commit record)
//
// Invariant (what makes a commit atomic): a data file named c<commit>_<n> is
// committed if and only if <commit> <= the "commit" number in the manifest.
// The writer renames a commit's files to their visible names first and then
// replaces the manifest (an atomic rename), so every committed file is visible
// once the manifest names its commit; files of a commit that never reached
// the manifest are deleted on the writer's next start. Files being written
// carry a hidden name (".<id>.parquet.inprogress") that Hive-style readers
// and "*.parquet" globs skip. Readers that need exact transaction boundaries
// list files through CommittedFiles(), never with a bare glob.
class RawTierLayout {
 public:
  explicit RawTierLayout(std::filesystem::path lake_root);

  const std::filesystem::path& lake_root() const { return lake_root_; }
  std::filesystem::path RawRoot() const { return lake_root_ / "raw"; }
  std::filesystem::path TableDir(std::string_view schema, std::string_view table) const;
  // `days` since 1970-01-01 (UTC) of the rows' source commit (or load) time.
  std::filesystem::path PartitionDir(std::string_view schema, std::string_view table,
                                     int64_t days) const;
  std::filesystem::path ManifestPath() const;
  // The folder for the replication engine's own state (manifest, status).
  std::filesystem::path StateDir() const;

  // "c0000000042_000003.parquet".
  static std::string CommittedFileName(uint64_t commit, uint32_t index);
  // The commit number of a committed file name; nullopt for anything else.
  static std::optional<uint64_t> CommitOfFileName(std::string_view file_name);
  // ".<id>.parquet.inprogress".
  static std::string InProgressFileName(std::string_view id);
  static bool IsInProgressFileName(std::string_view file_name);

  // The commit number the manifest records: 0 when there is no manifest yet
  // (nothing committed). Throws core::Error when the manifest is unreadable.
  uint64_t LastCommit() const;

  // The tables that have a folder in the raw tier, as {schema, table}.
  struct TableName {
    std::string schema;
    std::string table;
    bool operator==(const TableName&) const = default;
  };
  std::vector<TableName> Tables() const;

  // The committed Parquet files of one table (commit <= `last_commit`),
  // sorted by commit and index, so reading them in order reads the changes
  // in commit order.
  std::vector<std::filesystem::path> CommittedFiles(std::string_view schema, std::string_view table,
                                                    uint64_t last_commit) const;

  // The partition folder name's key (a source column with this name would
  // clash with the partition column: the writer refuses such tables).
  static constexpr std::string_view kPartitionKey = "commit_date";

 private:
  std::filesystem::path lake_root_;
};

}  // namespace futureim::lake
