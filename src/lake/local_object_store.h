#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "lake/object_store.h"

namespace futureim::lake {

// Objects as files under a root directory; a key is the file's relative path.
//
// Writes go to a temporary file in the target's own directory (so the rename
// stays on one file system), are fsync'ed, renamed over the target, and the
// directory is fsync'ed: after a crash or SIGKILL the key holds the old or
// the new content, never a mix. A killed writer can leave its temporary
// behind (".futureim-tmp-<pid>-..."): listings never show them, keys may not
// use that name, and RemoveAbandonedTemporaries() deletes the ones whose
// writer process is gone.
class LocalObjectStore final : public ObjectStore {
 public:
  // Creates `root` if needed.
  explicit LocalObjectStore(std::filesystem::path root);

  void Put(std::string_view key, std::string_view bytes) override;
  void PutFile(std::string_view key, const std::filesystem::path& source) override;
  std::string Get(std::string_view key) override;
  void GetFile(std::string_view key, const std::filesystem::path& target) override;
  std::optional<ObjectInfo> Stat(std::string_view key) override;
  std::vector<ObjectInfo> List(std::string_view prefix) override;
  void Delete(std::string_view key) override;
  std::string Describe() const override;

  // Deletes temporaries left by writers that no longer run; returns how many.
  size_t RemoveAbandonedTemporaries();

  const std::filesystem::path& root() const { return root_; }
  // The file that holds `key` (validated); for engines that read in place.
  std::filesystem::path PathOf(std::string_view key) const;

 private:
  std::filesystem::path root_;
};

// Atomically replaces `target` with the bytes produced by `write_chunk`
// calls, durable on return: temp file beside `target`, fsync, rename, fsync
// of the directory. Shared by the local store and by anything else that must
// publish a local file atomically (e.g. S3 downloads, key rotation).
class AtomicFileWriter {
 public:
  explicit AtomicFileWriter(const std::filesystem::path& target);
  // Removes the temporary unless Commit succeeded.
  ~AtomicFileWriter();
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

  void Write(std::string_view bytes);
  void Commit();
  const std::filesystem::path& temp_path() const { return temp_; }

 private:
  std::filesystem::path target_;
  std::filesystem::path temp_;
  int fd_ = -1;
  bool committed_ = false;
};

// fsyncs a file written by someone else (e.g. DuckDB's COPY) before it is
// renamed into place.
void FsyncFile(const std::filesystem::path& file);

// Renames `from` over `to` (same directory or file system) and fsyncs the
// directory of `to`, so the rename survives a crash.
void DurableRename(const std::filesystem::path& from, const std::filesystem::path& to);

// The prefix of every temporary file name this layer creates.
inline constexpr std::string_view kTemporaryPrefix = ".futureim-tmp-";

}  // namespace futureim::lake
