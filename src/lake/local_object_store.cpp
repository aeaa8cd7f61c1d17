#include "lake/local_object_store.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <random>
#include <string>
#include <system_error>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

namespace futureim::lake {
namespace fs = std::filesystem;
namespace {

[[noreturn]] void ThrowErrno(const std::string& what, const fs::path& path, int error = errno) {
  throw core::Error(what + " " + path.string() + ": " + std::strerror(error));
}

void FsyncFd(int fd, const fs::path& path) {
  if (::fsync(fd) != 0) ThrowErrno("cannot fsync", path);
}

// Opens `path` read-only (`flags` adds e.g. O_DIRECTORY) and fsyncs it.
void FsyncPath(const fs::path& path, int flags) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | flags);
  if (fd < 0) ThrowErrno("cannot open", path);
  const int rc = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (rc != 0) ThrowErrno("cannot fsync", path, error);
}

void FsyncDirectory(const fs::path& dir) { FsyncPath(dir, O_DIRECTORY); }

// Creates `dir` and its missing parents, fsyncing each parent that gained an
// entry, so a durable file is never inside a directory that a crash forgets.
void CreateDirectoriesDurably(const fs::path& dir) {
  if (dir.empty() || fs::is_directory(dir)) return;
  CreateDirectoriesDurably(dir.parent_path());
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST)
    ThrowErrno("cannot create directory", dir);
  FsyncDirectory(dir.parent_path().empty() ? fs::path(".") : dir.parent_path());
}

std::string RandomSuffix() {
  std::random_device device;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string suffix;
  for (int i = 0; i < 4; ++i) {
    const unsigned value = device();
    for (int nibble = 0; nibble < 4; ++nibble) suffix += kHex[(value >> (4 * nibble)) & 0xF];
  }
  return suffix;
}

// ".futureim-tmp-<pid>-<random>-<name>": the pid lets
// RemoveAbandonedTemporaries tell a live writer's file from a dead one's.
fs::path TemporaryPathFor(const fs::path& target) {
  return target.parent_path() / (std::string(kTemporaryPrefix) + std::to_string(::getpid()) + "-" +
                                 RandomSuffix() + "-" + target.filename().string());
}

std::optional<pid_t> WriterPidOf(const std::string& file_name) {
  if (!file_name.starts_with(kTemporaryPrefix)) return std::nullopt;
  const char* begin = file_name.data() + kTemporaryPrefix.size();
  const char* end = file_name.data() + file_name.size();
  pid_t pid = 0;
  const auto [next, error] = std::from_chars(begin, end, pid);
  if (error != std::errc() || next == begin) return std::nullopt;
  return pid;
}

std::chrono::system_clock::time_point ModifiedTime(const struct stat& st) {
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::seconds(st.st_mtim.tv_sec) + std::chrono::nanoseconds(st.st_mtim.tv_nsec)));
}

// Copies a whole file through `sink`, in 1 MiB pieces.
template <typename Sink>
void CopyFileContent(const fs::path& source, Sink&& sink) {
  const int fd = ::open(source.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) ThrowErrno("cannot open", source);
  std::string buffer(1 << 20, '\0');
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      const int error = errno;
      ::close(fd);
      ThrowErrno("cannot read", source, error);
    }
    if (n == 0) break;
    try {
      sink(std::string_view(buffer.data(), static_cast<size_t>(n)));
    } catch (...) {
      ::close(fd);
      throw;
    }
  }
  ::close(fd);
}

}  // namespace

// ---------------------------------------------------------------------------

AtomicFileWriter::AtomicFileWriter(const fs::path& target) : target_(target) {
  CreateDirectoriesDurably(target_.parent_path());
  temp_ = TemporaryPathFor(target_);
  fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd_ < 0) ThrowErrno("cannot create", temp_);
}

AtomicFileWriter::~AtomicFileWriter() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(temp_.c_str());
}

void AtomicFileWriter::Write(std::string_view bytes) {
  if (fd_ < 0) throw std::logic_error("AtomicFileWriter::Write after Commit");
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      ThrowErrno("cannot write", temp_);
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

void AtomicFileWriter::Commit() {
  if (fd_ < 0) throw std::logic_error("AtomicFileWriter::Commit twice");
  FsyncFd(fd_, temp_);
  const int rc = ::close(fd_);
  fd_ = -1;
  if (rc != 0) ThrowErrno("cannot close", temp_);
  DurableRename(temp_, target_);
  committed_ = true;
}

void FsyncFile(const fs::path& file) { FsyncPath(file, 0); }

void DurableRename(const fs::path& from, const fs::path& to) {
  if (::rename(from.c_str(), to.c_str()) != 0)
    ThrowErrno("cannot rename " + from.string() + " to", to);
  FsyncDirectory(to.parent_path().empty() ? fs::path(".") : to.parent_path());
}

// ---------------------------------------------------------------------------

LocalObjectStore::LocalObjectStore(fs::path root) : root_(std::move(root)) {
  CreateDirectoriesDurably(root_);
}

fs::path LocalObjectStore::PathOf(std::string_view key) const {
  ValidateObjectKey(key);
  return root_ / fs::path(std::string(key));
}

void LocalObjectStore::Put(std::string_view key, std::string_view bytes) {
  AtomicFileWriter writer(PathOf(key));
  writer.Write(bytes);
  writer.Commit();
}

void LocalObjectStore::PutFile(std::string_view key, const fs::path& source) {
  AtomicFileWriter writer(PathOf(key));
  CopyFileContent(source, [&](std::string_view piece) { writer.Write(piece); });
  writer.Commit();
}

std::string LocalObjectStore::Get(std::string_view key) {
  const fs::path path = PathOf(key);
  if (!fs::is_regular_file(path))
    throw ObjectNotFoundError("lake object not found: " + std::string(key));
  std::string content;
  CopyFileContent(path, [&](std::string_view piece) { content.append(piece); });
  return content;
}

void LocalObjectStore::GetFile(std::string_view key, const fs::path& target) {
  const fs::path path = PathOf(key);
  if (!fs::is_regular_file(path))
    throw ObjectNotFoundError("lake object not found: " + std::string(key));
  AtomicFileWriter writer(target);
  CopyFileContent(path, [&](std::string_view piece) { writer.Write(piece); });
  writer.Commit();
}

std::optional<ObjectInfo> LocalObjectStore::Stat(std::string_view key) {
  const fs::path path = PathOf(key);
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::nullopt;
    ThrowErrno("cannot stat", path);
  }
  if (!S_ISREG(st.st_mode)) return std::nullopt;
  return ObjectInfo{std::string(key), static_cast<uint64_t>(st.st_size), ModifiedTime(st)};
}

std::vector<ObjectInfo> LocalObjectStore::List(std::string_view prefix) {
  ValidateObjectPrefix(prefix);
  // Walk only the deepest directory the prefix names, then filter by string.
  const size_t slash = prefix.rfind('/');
  const fs::path start =
      slash == std::string_view::npos ? root_ : root_ / std::string(prefix.substr(0, slash));
  std::vector<ObjectInfo> objects;
  std::error_code error;
  if (!fs::is_directory(start, error)) return objects;
  for (auto it = fs::recursive_directory_iterator(start, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (it->path().filename().string().starts_with(kTemporaryPrefix)) continue;
    struct stat st {};
    if (::stat(it->path().c_str(), &st) != 0 || !S_ISREG(st.st_mode))
      continue;  // raced with a delete
    std::string key = it->path().lexically_relative(root_).generic_string();
    if (!key.starts_with(prefix)) continue;
    objects.push_back({std::move(key), static_cast<uint64_t>(st.st_size), ModifiedTime(st)});
  }
  if (error) throw core::Error("cannot list " + start.string() + ": " + error.message());
  std::sort(objects.begin(), objects.end(),
            [](const auto& a, const auto& b) { return a.key < b.key; });
  return objects;
}

void LocalObjectStore::Delete(std::string_view key) {
  const fs::path path = PathOf(key);
  if (::unlink(path.c_str()) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return;
    ThrowErrno("cannot delete", path);
  }
  FsyncDirectory(path.parent_path());
}

std::string LocalObjectStore::Describe() const { return "local:" + root_.string(); }

size_t LocalObjectStore::RemoveAbandonedTemporaries() {
  size_t removed = 0;
  std::error_code error;
  for (auto it = fs::recursive_directory_iterator(root_, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    const auto pid = WriterPidOf(it->path().filename().string());
    if (!pid) continue;
    // kill(pid, 0) fails with ESRCH only when no such process exists.
    if (::kill(*pid, 0) == 0 || errno != ESRCH) continue;
    if (::unlink(it->path().c_str()) == 0) ++removed;
  }
  return removed;
}

}  // namespace futureim::lake
