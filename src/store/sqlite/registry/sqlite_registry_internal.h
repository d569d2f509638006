#pragma once
// Row-level helpers shared by SqliteStore's registry .cc files. Each runs inside the caller's
// transaction on the given connection and returns MLflow's messages on failure. Names here
// are stored keys (core/workspace.h's WorkspaceKey: `default`'s models under their plain
// names); what they return carries plain names and, for versions, the workspace.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "core/registry_types.h"
#include "store/sqlite/sqlite_db.h"

namespace ferry::store::sqlite {

using VersionKey = std::pair<std::string, int64_t>;  // (stored model key, version)

// kNotFound "Registered Model with name=<name> not found".
absl::Status RegisteredModelNotFound(const std::string& name);
// kNotFound "Model Version (name=<name>, version=<v>) not found".
absl::Status ModelVersionNotFound(const std::string& name, int64_t version);

// kNotFound unless the model exists.
absl::Status CheckRegisteredModelExists(Connection& conn, const std::string& name);
// The model with tags, aliases and latest versions. kNotFound as above.
absl::StatusOr<RegisteredModel> ReadRegisteredModel(Connection& conn, const std::string& name);
// Models in the order of `names`, names that do not exist are skipped.
absl::StatusOr<std::vector<RegisteredModel>> ReadRegisteredModels(
    Connection& conn, const std::vector<std::string>& names);

// The version with tags and aliases. kNotFound as above.
absl::StatusOr<ModelVersion> ReadModelVersion(Connection& conn, const std::string& name,
                                              int64_t version);
// Versions (with tags and aliases) in the order of `keys`; missing keys are skipped.
absl::StatusOr<std::vector<ModelVersion>> ReadModelVersions(Connection& conn,
                                                            const std::vector<VersionKey>& keys);

// Sets last_updated_time of the model and, when `version` > 0, of that version.
absl::Status TouchRegistry(Connection& conn, const std::string& name, int64_t version,
                           int64_t now_ms);

}  // namespace ferry::store::sqlite
