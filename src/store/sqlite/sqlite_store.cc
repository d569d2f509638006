#include "store/sqlite/sqlite_store.h"

namespace ferry {

absl::StatusOr<MetadataBackendPtr> SqliteStore::Create(const std::string& path) {
  return absl::UnimplementedError("SqliteStore is not written yet");
}

}  // namespace ferry
