#pragma once
// Model registry persistence (MLflow's ModelRegistryService entities). Services in registry/
// depend only on this header; backends implement it next to MetadataStore.
//
// Implementations are safe for concurrent use. Each method is one transaction. Errors use
// canonical codes with MLflow's messages:
//   kNotFound        "Registered Model with name=<n> not found",
//                    "Model Version (name=<n>, version=<v>) not found"
//   kAlreadyExists   "Registered Model (name=<n>) already exists."
//   kInvalidArgument an alias that is not set ("Registered model alias <a> not found.")
//
// Models are named per workspace (--enable-workspaces): every method takes the workspace
// (`default`, or empty for it, without the flag), and a name is unique within it. How the
// backend keys them is its own (SQLite: core/workspace.h's WorkspaceKey); names, messages and
// results are always the plain name. Searches stay in `scope.workspace` (empty: `default`).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "core/registry_types.h"
#include "core/search/search.h"

namespace ferry::store {

struct RegisteredModelSearchQuery {
  std::vector<Comparison> filter;  // AND of all; attribute `name` and tags
  std::vector<OrderBy> order_by;   // then name ASC
  int64_t max_results = 100;
  int64_t offset = 0;
  AccessScope scope;  // model names of scope.workspace (empty: default)
};

struct ModelVersionSearchQuery {
  std::vector<Comparison> filter;  // name, run_id, source_path, version_number, tags
  // Empty: last_updated_timestamp DESC, name ASC, version_number DESC (also the tie-break).
  std::vector<OrderBy> order_by;
  int64_t max_results = 200000;
  int64_t offset = 0;
  AccessScope scope;  // model names of scope.workspace (empty: default)
};

class RegistryStore {
 public:
  virtual ~RegistryStore() = default;

  // ---- registered models ----
  // Inserts `model` (name, description, user_id, tags, timestamps). kAlreadyExists on a clash.
  virtual absl::StatusOr<RegisteredModel> CreateRegisteredModel(const std::string& workspace,
                                                                const RegisteredModel& model) = 0;
  // The model with its tags, aliases and latest version per stage.
  virtual absl::StatusOr<RegisteredModel> GetRegisteredModel(const std::string& workspace,
                                                             const std::string& name) = 0;
  // Renames the model; its versions, tags and aliases follow. kAlreadyExists if taken.
  virtual absl::StatusOr<RegisteredModel> RenameRegisteredModel(const std::string& workspace,
                                                                const std::string& name,
                                                                const std::string& new_name,
                                                                int64_t now_ms) = 0;
  virtual absl::StatusOr<RegisteredModel> UpdateRegisteredModel(const std::string& workspace,
                                                                const std::string& name,
                                                                const std::string& description,
                                                                int64_t now_ms) = 0;
  // Hard delete of the model, its versions, tags and aliases.
  virtual absl::Status DeleteRegisteredModel(const std::string& workspace,
                                             const std::string& name) = 0;
  virtual absl::StatusOr<Page<RegisteredModel>> SearchRegisteredModels(
      const RegisteredModelSearchQuery& q) = 0;
  // Upserts a tag. kNotFound if the model is missing.
  virtual absl::Status SetRegisteredModelTag(const std::string& workspace, const std::string& name,
                                             const RegisteredModelTag& tag) = 0;
  // Removing a tag that is not set is not an error (as MLflow); a missing model is.
  virtual absl::Status DeleteRegisteredModelTag(const std::string& workspace,
                                                const std::string& name,
                                                const std::string& key) = 0;

  // ---- aliases ----
  // Points `alias` at `version`, moving it if it exists. kNotFound for a missing version.
  virtual absl::Status SetRegisteredModelAlias(const std::string& workspace,
                                               const std::string& name, const std::string& alias,
                                               int64_t version) = 0;
  // kNotFound if the model is missing; an unset alias is not an error.
  virtual absl::Status DeleteRegisteredModelAlias(const std::string& workspace,
                                                  const std::string& name,
                                                  const std::string& alias) = 0;
  // kInvalidArgument "Registered model alias <a> not found." for an unset alias.
  virtual absl::StatusOr<ModelVersion> GetModelVersionByAlias(const std::string& workspace,
                                                              const std::string& name,
                                                              const std::string& alias) = 0;

  // ---- model versions ----
  // Inserts `version` (all fields but `version`, which becomes the model's highest version
  // number ever + 1, allocated in the same transaction) and bumps the model's
  // last_updated_timestamp. kNotFound if the model is missing.
  virtual absl::StatusOr<ModelVersion> CreateModelVersion(const std::string& workspace,
                                                          const ModelVersion& version) = 0;
  // The version with its tags and aliases.
  virtual absl::StatusOr<ModelVersion> GetModelVersion(const std::string& workspace,
                                                       const std::string& name,
                                                       int64_t version) = 0;
  virtual absl::StatusOr<ModelVersion> UpdateModelVersion(const std::string& workspace,
                                                          const std::string& name, int64_t version,
                                                          const std::string& description,
                                                          int64_t now_ms) = 0;
  // Moves the version to `stage`; with `archive_existing`, other versions in that stage become
  // Archived. Returns the version and, in `archived`, the versions archived (may be null).
  virtual absl::StatusOr<ModelVersion> TransitionModelVersionStage(
      const std::string& workspace, const std::string& name, int64_t version, ModelStage stage,
      bool archive_existing, int64_t now_ms, std::vector<int64_t>* archived) = 0;
  // Deletes the version with its tags and aliases. Its number is never reused.
  virtual absl::Status DeleteModelVersion(const std::string& workspace, const std::string& name,
                                          int64_t version, int64_t now_ms) = 0;
  virtual absl::StatusOr<Page<ModelVersion>> SearchModelVersions(
      const ModelVersionSearchQuery& q) = 0;
  virtual absl::Status SetModelVersionTag(const std::string& workspace, const std::string& name,
                                          int64_t version, const ModelVersionTag& tag) = 0;
  virtual absl::Status DeleteModelVersionTag(const std::string& workspace, const std::string& name,
                                             int64_t version, const std::string& key) = 0;
  // Sets status and status_message (registration verification) of `pending` (in
  // pending.workspace), only if that
  // very version (same name, number, source and creation time) is still
  // PENDING_REGISTRATION: a version deleted and re-created, or renamed, meanwhile gets
  // kFailedPrecondition and is left alone.
  virtual absl::StatusOr<ModelVersion> SetModelVersionStatus(const ModelVersion& pending,
                                                             ModelVersionStatus status,
                                                             const std::string& message,
                                                             int64_t now_ms) = 0;
  // Every version still PENDING_REGISTRATION, of every workspace (ModelVersion::workspace),
  // oldest first.
  virtual absl::StatusOr<std::vector<ModelVersion>> ListPendingModelVersions() = 0;
};

using RegistryStorePtr = std::unique_ptr<RegistryStore>;

}  // namespace ferry::store
