#pragma once
// The rules of MLflow's ModelRegistryService over a RegistryStore: validation, stages and
// aliases, get-latest-versions, search parsing and page tokens, version registration status,
// and events for observers. Knows nothing of HTTP. Thread-safe if the store is.
//
// Registration: without a VersionVerifier a new version is READY at once (MLflow's SQL store).
// With one, it starts PENDING_REGISTRATION and a background worker verifies it; a version that
// is not READY cannot take an alias or move to Staging/Production.
//
// Models are named per workspace (--enable-workspaces): every call names the workspace
// (`default` without the flag) and sees only its models; events carry it.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "core/access_scope.h"
#include "core/paging.h"
#include "core/registry_types.h"
#include "registry/registration_worker.h"
#include "registry/registry_events.h"
#include "registry/version_verifier.h"
#include "store/registry_store.h"

namespace ferry::registry {

struct CreateRegisteredModelRequest {
  std::string name;
  std::vector<RegisteredModelTag> tags;
  std::string description;
  std::string user_id;
  std::string workspace = "default";  // --enable-workspaces: the request's
};

struct CreateModelVersionRequest {
  std::string name;
  std::string source;
  std::string run_id;
  std::vector<ModelVersionTag> tags;
  std::string run_link;
  std::string description;
  std::string user_id;
  std::string workspace = "default";  // --enable-workspaces: the request's
};

struct SearchRegistryRequest {
  std::string filter;
  std::vector<std::string> order_by;
  std::optional<int64_t> max_results;
  std::string page_token;
  AccessScope scope;  // the registered models the caller may see, in scope.workspace
};

class RegistryService {
 public:
  // `verifier` may be null (versions are READY at once). Neither is owned.
  RegistryService(store::RegistryStore& store, Clock& clock, VersionVerifier* verifier = nullptr);
  ~RegistryService();

  // Registers an observer of committed changes; call before serving requests.
  void AddObserver(RegistryObserver* observer) { observers_.push_back(observer); }
  // Maps a run id to its artifact root URI, so that a `runs:/RUN/PATH` source downloads from
  // "<artifact root>/PATH" as in MLflow (get-download-uri). Unset: the source is returned.
  using RunArtifactResolver = std::function<absl::StatusOr<std::string>(const std::string&)>;
  void SetRunArtifactResolver(RunArtifactResolver resolver) { resolver_ = std::move(resolver); }
  // Maps a package source (mlflow-artifacts:/packages/sha256-HEX) to what MLflow clients
  // should download for it (the package's MLflow model directory, when it has one); the
  // source itself when it returns "". Unset: the source is returned.
  using PackageDownloadResolver = std::function<std::string(const std::string& source)>;
  void SetPackageDownloadResolver(PackageDownloadResolver resolver) {
    package_resolver_ = std::move(resolver);
  }
  // With a verifier: starts the worker and queues the versions left PENDING_REGISTRATION by a
  // previous process. Without one: nothing to do.
  absl::Status Start();
  // Blocks until the registration worker is idle (tests).
  void WaitForRegistrations();

  // ---- registered models ----
  absl::StatusOr<RegisteredModel> CreateRegisteredModel(const CreateRegisteredModelRequest& r);
  absl::StatusOr<RegisteredModel> GetRegisteredModel(const std::string& workspace,
                                                     const std::string& name);
  absl::StatusOr<RegisteredModel> RenameRegisteredModel(const std::string& workspace,
                                                        const std::string& name,
                                                        const std::string& new_name);
  absl::StatusOr<RegisteredModel> UpdateRegisteredModel(const std::string& workspace,
                                                        const std::string& name,
                                                        const std::string& description);
  absl::Status DeleteRegisteredModel(const std::string& workspace, const std::string& name);
  // Default order name ASC; max_results default 100, at most 1000.
  absl::StatusOr<SearchResult<RegisteredModel>> SearchRegisteredModels(
      const SearchRegistryRequest& r);
  // The latest version in each of `stages` (case-insensitive), or in every stage when empty.
  absl::StatusOr<std::vector<ModelVersion>> GetLatestVersions(
      const std::string& workspace, const std::string& name,
      const std::vector<std::string>& stages);
  absl::Status SetRegisteredModelTag(const std::string& workspace, const std::string& name,
                                     const RegisteredModelTag& tag);
  absl::Status DeleteRegisteredModelTag(const std::string& workspace, const std::string& name,
                                        const std::string& key);

  // ---- aliases ----
  // kInvalidArgument for a bad alias or a version that is not READY.
  absl::Status SetRegisteredModelAlias(const std::string& workspace, const std::string& name,
                                       const std::string& alias, const std::string& version);
  absl::Status DeleteRegisteredModelAlias(const std::string& workspace, const std::string& name,
                                          const std::string& alias);
  absl::StatusOr<ModelVersion> GetModelVersionByAlias(const std::string& workspace,
                                                      const std::string& name,
                                                      const std::string& alias);

  // ---- model versions ----
  absl::StatusOr<ModelVersion> CreateModelVersion(const CreateModelVersionRequest& r);
  absl::StatusOr<ModelVersion> GetModelVersion(const std::string& workspace,
                                               const std::string& name, const std::string& version);
  absl::StatusOr<ModelVersion> UpdateModelVersion(const std::string& workspace,
                                                  const std::string& name,
                                                  const std::string& version,
                                                  const std::string& description);
  // `stage` is case-insensitive. archive_existing_versions is only valid for Staging and
  // Production. Moving a version that is not READY to Staging/Production is kInvalidArgument.
  absl::StatusOr<ModelVersion> TransitionModelVersionStage(const std::string& workspace,
                                                           const std::string& name,
                                                           const std::string& version,
                                                           const std::string& stage,
                                                           bool archive_existing_versions);
  absl::Status DeleteModelVersion(const std::string& workspace, const std::string& name,
                                  const std::string& version);
  // Default order last_updated_timestamp DESC, name ASC, version_number DESC; max_results
  // default and limit 200000.
  absl::StatusOr<SearchResult<ModelVersion>> SearchModelVersions(const SearchRegistryRequest& r);
  // The version's source (MLflow's get-download-uri).
  absl::StatusOr<std::string> GetModelVersionDownloadUri(const std::string& workspace,
                                                         const std::string& name,
                                                         const std::string& version);
  absl::Status SetModelVersionTag(const std::string& workspace, const std::string& name,
                                  const std::string& version, const ModelVersionTag& tag);
  absl::Status DeleteModelVersionTag(const std::string& workspace, const std::string& name,
                                     const std::string& version, const std::string& key);

 private:
  void Publish(RegistryEvent event);

  store::RegistryStore& store_;
  Clock& clock_;
  VersionVerifier* verifier_;
  RunArtifactResolver resolver_;
  PackageDownloadResolver package_resolver_;
  std::vector<RegistryObserver*> observers_;
  std::unique_ptr<RegistrationWorker> worker_;
};

}  // namespace ferry::registry
