#pragma once

// GET /ready: whether this installation can do its work now — the source
// answers a login, the lake accepts a write, the metadata database answers
// a query. Each check is run for real on every probe (no cached verdict), and
// fails with a short reason that carries no secret and no internal path;
// the full error goes to the log.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "source/source_endpoint.h"

namespace futureim::ops {

struct ReadinessCheck {
  std::string name;  // "source", "lake", "metadata"
  bool ok = false;
  std::string error;  // when !ok
  double seconds = 0;
};

struct Readiness {
  std::vector<ReadinessCheck> checks;
  bool Ready() const;
  nlohmann::json ToJson() const;
};

class ReadinessProbe {
 public:
  // `source`: nullopt when no source is configured (then the check fails).
  ReadinessProbe(std::optional<source::SourceEndpoint> source, std::filesystem::path lake_root,
                 std::filesystem::path metadata_file,
                 std::chrono::seconds source_timeout = std::chrono::seconds(3));

  Readiness Check() const;

 private:
  ReadinessCheck CheckSource() const;
  ReadinessCheck CheckLake() const;
  ReadinessCheck CheckMetadata() const;

  std::optional<source::SourceEndpoint> source_;
  std::filesystem::path lake_root_;
  std::filesystem::path metadata_file_;
  std::chrono::seconds source_timeout_;
};

}  // namespace futureim::ops
