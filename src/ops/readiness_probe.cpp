#include "ops/readiness_probe.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

#include "core/log.h"
#include "metadata/metadata_db.h"
#include "source/mysql_connection.h"

namespace futureim::ops {
namespace {

using Clock = std::chrono::steady_clock;

template <typename Body>
ReadinessCheck Timed(const char* name, Body body) {
  const auto started = Clock::now();
  ReadinessCheck check;
  check.name = name;
  try {
    check.error = body();
  } catch (const std::exception& e) {
    core::log::Warn("ready_check_failed", {{"check", name}, {"error", e.what()}});
    check.error = "check failed";
  }
  check.ok = check.error.empty();
  check.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return check;
}

}  // namespace

bool Readiness::Ready() const {
  for (const auto& check : checks) {
    if (!check.ok) return false;
  }
  return !checks.empty();
}

nlohmann::json Readiness::ToJson() const {
  nlohmann::json out = {{"status", Ready() ? "ready" : "not_ready"}};
  nlohmann::json list = nlohmann::json::object();
  for (const auto& check : checks) {
    nlohmann::json entry = {{"ok", check.ok}, {"seconds", check.seconds}};
    if (!check.ok) entry["error"] = check.error;
    list[check.name] = std::move(entry);
  }
  out["checks"] = std::move(list);
  return out;
}

ReadinessProbe::ReadinessProbe(std::optional<source::SourceEndpoint> source,
                               std::filesystem::path lake_root, std::filesystem::path metadata_file,
                               std::chrono::seconds source_timeout)
    : source_(std::move(source)),
      lake_root_(std::move(lake_root)),
      metadata_file_(std::move(metadata_file)),
      source_timeout_(source_timeout) {}

Readiness ReadinessProbe::Check() const {
  return Readiness{{CheckSource(), CheckLake(), CheckMetadata()}};
}

ReadinessCheck ReadinessProbe::CheckSource() const {
  return Timed("source", [this]() -> std::string {
    if (!source_) return "no source is configured";
    try {
      auto connection = source::MysqlConnection::Connect(*source_, source_timeout_);
      connection.Query("SELECT 1");
    } catch (const std::exception& e) {
      // The message names host and user (never the password); it stays in
      // the log, the probe answer says only what failed.
      core::log::Warn("ready_source_failed", {{"error", e.what()}});
      return "the source does not accept a login";
    }
    return {};
  });
}

ReadinessCheck ReadinessProbe::CheckLake() const {
  return Timed("lake", [this]() -> std::string {
    // A real write where the product writes its own files: create, write,
    // fsync and remove a uniquely named probe file.
    const auto folder = lake_root_ / "_futureim";
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    const auto file = folder / (".ready-" + std::to_string(::getpid()) + "-" +
                                std::to_string(Clock::now().time_since_epoch().count()));
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
      const int error = errno;
      core::log::Warn("ready_lake_failed", {{"error", std::strerror(error)}});
      return std::string("the lake is not writable: ") + std::strerror(error);
    }
    const char probe[] = "ready\n";
    const bool written =
        ::write(fd, probe, sizeof probe - 1) == sizeof probe - 1 && ::fsync(fd) == 0;
    const int error = errno;
    ::close(fd);
    std::filesystem::remove(file, ec);
    if (!written) return std::string("the lake is not writable: ") + std::strerror(error);
    return {};
  });
}

ReadinessCheck ReadinessProbe::CheckMetadata() const {
  return Timed("metadata", [this]() -> std::string {
    if (!std::filesystem::exists(metadata_file_)) return "the metadata database is missing";
    auto db = metadata::SqliteDatabase::Open(metadata_file_);
    auto statement = db.Prepare("SELECT count(*) FROM users");
    statement.Step();
    return {};
  });
}

}  // namespace futureim::ops
