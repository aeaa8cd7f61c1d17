#include "lake/folder_usage.h"

namespace futureim::lake {

FolderUsage MeasureFolder(const std::filesystem::path& root) {
  FolderUsage usage;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(root, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec)) {
      ++usage.files;
      const auto size = it->file_size(ec);
      if (!ec) usage.bytes += size;
    }
  }
  return usage;
}

}  // namespace futureim::lake
