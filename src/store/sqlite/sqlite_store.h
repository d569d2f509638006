#pragma once
// MetadataStore + ArtifactIndex on SQLite (WAL). See store/metadata_store.h for the contract.

#include <memory>
#include <string>

#include "store/store_factory.h"

namespace ferry {

class SqliteStore : public MetadataBackend {
 public:
  // Opens or creates the database file at `path`, applying schema migrations.
  static absl::StatusOr<MetadataBackendPtr> Create(const std::string& path);
};

}  // namespace ferry
