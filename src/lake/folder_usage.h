#pragma once

#include <cstdint>
#include <filesystem>

namespace futureim::lake {

// Regular files under a folder (recursively) and their total size. A folder
// that vanishes or an entry that cannot be read mid-walk is skipped, not an
// error: the lake changes while it is measured, and a size is a snapshot.
struct FolderUsage {
  uint64_t files = 0;
  uint64_t bytes = 0;
};
FolderUsage MeasureFolder(const std::filesystem::path& root);

}  // namespace futureim::lake
