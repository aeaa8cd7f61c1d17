#pragma once

#include <functional>
#include <mutex>
#include <vector>

#include "lake/raw_tier_layout.h"
#include "replicate/raw_change_writer.h"
#include "replicate/replication_state.h"

namespace futureim::replicate {

// The raw tier's commit protocol: the one place that makes written files and
// the replication state visible together.
//
// Commit(files, update) gives the files the visible names of commit N+1
// (renames inside their partition folders, after fsync of their data), then
// replaces the manifest with the updated state of commit N+1 (write a temp
// file, fsync, rename over, fsync the folder). The manifest rename is the
// commit point: a crash before it leaves files named c<N+1>_* that the next
// Open() deletes, together with every in-progress file; a crash after it
// leaves a consistent commit N+1. So after a restart the lake holds exactly
// the changes up to state.position, each once.
//
// Open() also takes an exclusive lock on the raw tier's state folder for the
// life of the object: two replicators on one lake would corrupt it.
class ReplicationCheckpoint {
 public:
  // Reads the manifest (a fresh state when there is none), deletes every file
  // not covered by it, and locks the lake. Throws core::Error when another
  // process holds the lock or the manifest is damaged.
  static ReplicationCheckpoint Open(const lake::RawTierLayout& layout);

  ReplicationCheckpoint(ReplicationCheckpoint&& other) noexcept;
  ReplicationCheckpoint& operator=(ReplicationCheckpoint&&) = delete;
  ReplicationCheckpoint(const ReplicationCheckpoint&) = delete;
  ~ReplicationCheckpoint();

  // A copy of the committed state (safe from any thread).
  ReplicationState State() const;

  // Hands out `count` consecutive _seq values, larger than every committed
  // one and every one handed out before. Values that never get committed
  // leave gaps, which is harmless: _seq only orders.
  uint64_t ReserveSeqs(uint64_t count);

  // Commits `files` and the state change `update` makes, atomically (see
  // above). Thread-safe: commits are serialized. After a failure the
  // checkpoint refuses further commits: the process must restart (which
  // cleans up).
  void Commit(std::vector<StagedFile> files, const std::function<void(ReplicationState&)>& update);

  // Removes everything replication wrote (files and manifest) so the next
  // run starts with a fresh snapshot: the fix for a purged binlog position.
  void Reset();

  const lake::RawTierLayout& layout() const { return layout_; }

 private:
  ReplicationCheckpoint(lake::RawTierLayout layout, int lock_fd, ReplicationState state);
  void RemoveUncommittedFiles() const;
  void WriteManifest(const ReplicationState& state) const;

  lake::RawTierLayout layout_;
  int lock_fd_ = -1;
  mutable std::mutex mutex_;
  ReplicationState state_;
  uint64_t reserved_seq_ = 1;
  bool broken_ = false;
};

}  // namespace futureim::replicate
