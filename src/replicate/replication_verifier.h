#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "replicate/replication_options.h"

namespace futureim::replicate {

// One table's comparison of the source with the lake's current state.
struct TableVerification {
  std::string table;  // "schema.table"
  uint64_t source_rows = 0;
  uint64_t lake_rows = 0;
  // Order-independent checksums of every row's values in lake types (the
  // source's rows converted exactly as replication converts them).
  std::string source_checksum;
  std::string lake_checksum;
  uint64_t missing_in_lake = 0;              // keys only in the source
  uint64_t extra_in_lake = 0;                // keys only in the lake
  uint64_t different = 0;                    // keys in both with different values
  std::vector<std::string> mismatched_keys;  // up to the limit, as "k1|k2"
  std::string error;                         // set when the table could not be compared

  bool ok() const {
    return error.empty() && missing_in_lake == 0 && extra_in_lake == 0 && different == 0 &&
           source_rows == lake_rows && source_checksum == lake_checksum;
  }
};

struct VerificationReport {
  std::vector<TableVerification> tables;
  bool lake_caught_up = true;  // the lake reached the source snapshot's position in time
  std::string source_position;
  std::string lake_position;

  bool ok() const;
  nlohmann::json ToJson() const;
};

// `futureim verify`: per replicated table, reads the source's current rows
// (one consistent snapshot per table, through the same conversion the
// replicator uses) and the lake's current state (the committed raw changes
// applied in _seq order: latest row per key, deletes removed, truncate
// markers honoured), and compares counts, checksums and keys.
//
// The lake can only equal the source once it has every change up to the
// snapshot: the verifier waits up to `wait` for the committed position to
// reach the snapshot's. With writes still flowing, keys changed after the
// snapshot may show as different; compare on a quiet source.
class ReplicationVerifier {
 public:
  explicit ReplicationVerifier(const ReplicationOptions& options) : options_(options) {}

  VerificationReport Verify(std::chrono::seconds wait, size_t max_keys_listed = 20);

 private:
  const ReplicationOptions& options_;
};

}  // namespace futureim::replicate
