#include "replicate/replication_checkpoint.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <set>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "core/error.h"
#include "core/log.h"
#include "lake/local_object_store.h"
#include "replicate/replication_metrics.h"

namespace futureim::replicate {
namespace fs = std::filesystem;

namespace {

// fsync of a folder: a rename inside it (or its creation) survives a crash
// only once the folder is synced.
void SyncFolder(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw core::Error("cannot open " + path.string() + ": " + std::strerror(errno));
  const int rc = ::fsync(fd);
  const int saved = errno;
  ::close(fd);
  if (rc != 0) throw core::Error("cannot sync " + path.string() + ": " + std::strerror(saved));
}

}  // namespace

ReplicationCheckpoint ReplicationCheckpoint::Open(const lake::RawTierLayout& layout) {
  fs::create_directories(layout.StateDir());
  const fs::path lock_path = layout.StateDir() / "lock";
  const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    throw core::Error("cannot open " + lock_path.string() + ": " + std::strerror(errno));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    throw core::Error("another `futureim replicate` is running on the lake " +
                      layout.lake_root().string() + " (it holds " + lock_path.string() + ")");
  }
  try {
    ReplicationCheckpoint checkpoint(
        layout, fd, ReadReplicationState(layout.ManifestPath()).value_or(ReplicationState{}));
    checkpoint.RemoveUncommittedFiles();
    return checkpoint;
  } catch (...) {
    ::close(fd);
    throw;
  }
}

ReplicationCheckpoint::ReplicationCheckpoint(lake::RawTierLayout layout, int lock_fd,
                                             ReplicationState state)
    : layout_(std::move(layout)), lock_fd_(lock_fd), state_(std::move(state)) {
  reserved_seq_ = state_.next_seq;
}

ReplicationCheckpoint::ReplicationCheckpoint(ReplicationCheckpoint&& other) noexcept
    : layout_(other.layout_),
      lock_fd_(std::exchange(other.lock_fd_, -1)),
      state_(std::move(other.state_)),
      reserved_seq_(other.reserved_seq_),
      broken_(other.broken_) {}

ReplicationCheckpoint::~ReplicationCheckpoint() {
  if (lock_fd_ >= 0) ::close(lock_fd_);  // closing releases the flock
}

ReplicationState ReplicationCheckpoint::State() const {
  std::lock_guard lock(mutex_);
  return state_;
}

uint64_t ReplicationCheckpoint::ReserveSeqs(uint64_t count) {
  std::lock_guard lock(mutex_);
  const uint64_t first = reserved_seq_;
  reserved_seq_ += count;
  return first;
}

void ReplicationCheckpoint::RemoveUncommittedFiles() const {
  const fs::path raw = layout_.RawRoot();
  std::error_code ec;
  if (!fs::is_directory(raw, ec)) return;
  uint64_t removed = 0;
  for (auto it = fs::recursive_directory_iterator(raw); it != fs::recursive_directory_iterator();
       ++it) {
    if (it->is_directory() && it->path() == layout_.StateDir().parent_path()) {
      it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file()) continue;
    const std::string name = it->path().filename().string();
    const auto commit = lake::RawTierLayout::CommitOfFileName(name);
    if (lake::RawTierLayout::IsInProgressFileName(name) || (commit && *commit > state_.commit)) {
      fs::remove(it->path());
      ++removed;
    }
  }
  if (removed > 0) {
    core::log::Info("replication_cleanup",
                    {{"uncommitted_files_removed", removed}, {"last_commit", state_.commit}});
  }
}

void ReplicationCheckpoint::WriteManifest(const ReplicationState& state) const {
  lake::AtomicFileWriter manifest(layout_.ManifestPath());
  manifest.Write(state.ToJson().dump(1) + "\n");
  manifest.Commit();
}

void ReplicationCheckpoint::Commit(std::vector<StagedFile> files,
                                   const std::function<void(ReplicationState&)>& update) {
  std::lock_guard lock(mutex_);
  if (broken_) {
    throw core::Error("a previous commit to the raw tier failed; restart replication");
  }
  broken_ = true;  // until this commit completes
  ReplicationState next = state_;
  next.commit = state_.commit + 1;
  std::set<fs::path> folders;
  uint32_t index = 0;
  for (const auto& file : files) {
    lake::FsyncFile(file.path);
    const fs::path committed =
        file.path.parent_path() / lake::RawTierLayout::CommittedFileName(next.commit, ++index);
    fs::rename(file.path, committed);
    folders.insert(file.path.parent_path());
    auto it = next.tables.find(file.schema + "." + file.table);
    if (it != next.tables.end()) ++it->second.counters.files;
  }
  for (const auto& folder : folders) {
    SyncFolder(folder);
    SyncFolder(folder.parent_path());  // a partition folder may be new
  }
  update(next);
  next.commit = state_.commit + 1;
  next.committed_at_us = WallClockMicros();
  next.next_seq = std::max(next.next_seq, reserved_seq_);
  WriteManifest(next);
  state_ = std::move(next);
  broken_ = false;
}

void ReplicationCheckpoint::Reset() {
  std::lock_guard lock(mutex_);
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(layout_.RawRoot(), ec)) {
    if (entry.path() == layout_.StateDir().parent_path()) continue;
    fs::remove_all(entry.path());
  }
  fs::remove(layout_.ManifestPath(), ec);
  state_ = ReplicationState{};
  reserved_seq_ = state_.next_seq;
  broken_ = false;
}

}  // namespace futureim::replicate
