#pragma once
// MetadataStore + ArtifactIndex (and the registry, webhook, auth and audit stores) on SQLite. See
// store/metadata_store.h, store/artifact_index.h and their siblings for the contracts;
// MLflow's SQL store is the reference behaviour.
//
// Thread safety: safe for concurrent use. Writes go through one writer connection,
// serialised by `write_mu_` around BEGIN IMMEDIATE ... COMMIT, so writers in this process
// queue on the mutex and never see SQLITE_BUSY. Reads borrow a connection from a pool (one
// per concurrent reader) and run in a deferred read transaction, which in WAL mode gives each
// call a consistent snapshot without blocking the writer. Another process writing the same
// file is waited for up to the busy timeout, then reported as kUnavailable.
//
// Durability: WAL with synchronous=NORMAL by default. A committed call survives kill -9 of the
// process; an OS crash or power loss can lose the last commits but not corrupt the file.
// With synchronous=FULL (`ferry server --sync full`) every commit also fsyncs the WAL, so a
// power loss loses nothing committed either.

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "store/backend/metadata_backend.h"

namespace ferry::store::sqlite {
class Connection;
class ConnectionPool;
class Checkpointer;

class SqliteStore : public MetadataBackend {
 public:
  // Opens or creates the database file at `path` (creating its parent directory), switches
  // it to WAL and applies missing schema migrations. A new database gets experiment "0"
  // ("Default", artifact location "mlflow-artifacts:/0").
  // Errors: kInvalidArgument for an empty or in-memory path; kPermissionDenied or
  // kFailedPrecondition naming the path when it cannot be created, written or is not a
  // SQLite database; kFailedPrecondition when the schema is newer than this binary.
  // `sync_full`: commits run with synchronous=FULL (see Durability above).
  static absl::StatusOr<MetadataBackendPtr> Create(const std::string& path, bool sync_full = false);
  ~SqliteStore() override;

  void SetTimingObserver(StoreTimingObserver* observer) override {
    timing_observer_.store(observer, std::memory_order_release);
  }

  // The writer connection's PRAGMA synchronous (1 NORMAL, 2 FULL).
  absl::StatusOr<int> Synchronous();

  // MetadataStore
  absl::StatusOr<std::string> CreateExperimentIn(std::string_view workspace,
                                                 const std::string& name,
                                                 const std::string& artifact_location,
                                                 const std::string& artifact_root,
                                                 const std::vector<ExperimentTag>& tags,
                                                 int64_t now_ms) override;
  absl::StatusOr<Experiment> GetExperiment(const std::string& id) override;
  absl::StatusOr<Experiment> GetExperimentByNameIn(std::string_view workspace,
                                                   const std::string& name) override;
  absl::StatusOr<Page<Experiment>> SearchExperiments(const ExperimentSearchQuery& q) override;
  absl::Status RenameExperiment(const std::string& id, const std::string& new_name,
                                int64_t now_ms) override;
  absl::Status SetExperimentLifecycle(const std::string& id, LifecycleStage stage,
                                      int64_t now_ms) override;
  absl::Status SetExperimentTag(const std::string& id, const ExperimentTag& tag) override;
  absl::Status CreateRun(const RunInfo& info, const std::vector<RunTag>& tags) override;
  absl::StatusOr<Run> GetRun(const std::string& run_id) override;
  absl::StatusOr<RunInfo> UpdateRun(const std::string& run_id, std::optional<RunStatus> status,
                                    std::optional<int64_t> end_time,
                                    std::optional<std::string> run_name) override;
  absl::Status SetRunLifecycle(const std::string& run_id, LifecycleStage stage,
                               int64_t now_ms) override;
  absl::Status LogBatch(const std::string& run_id, const std::vector<Metric>& metrics,
                        const std::vector<Param>& params, const std::vector<RunTag>& tags) override;
  absl::Status DeleteRunTag(const std::string& run_id, const std::string& key) override;
  absl::Status LogInputs(const std::string& run_id,
                         const std::vector<DatasetInput>& inputs) override;
  absl::StatusOr<Page<Run>> SearchRuns(const RunSearchQuery& q) override;
  absl::StatusOr<Page<Metric>> GetMetricHistory(const std::string& run_id, const std::string& key,
                                                int64_t max_results, int64_t offset) override;
  // sqlite_metric_bulk.cc
  absl::StatusOr<std::vector<MetricWithRunId>> GetMetricHistoryBulk(
      const std::vector<std::string>& run_ids, const std::string& key, int64_t limit) override;
  absl::StatusOr<std::vector<Metric>> GetMetricsAfterStep(const std::string& run_id,
                                                          const std::string& key,
                                                          int64_t after_step,
                                                          int64_t limit) override;
  absl::StatusOr<std::vector<int64_t>> GetMetricSteps(const std::string& run_id,
                                                      const std::string& key) override;
  absl::StatusOr<std::vector<MetricExtremes>> GetMetricExtremes(
      const std::vector<std::string>& run_ids, const std::vector<std::string>& keys) override;
  absl::StatusOr<std::vector<Metric>> GetMetricsAtSteps(const std::string& run_id,
                                                        const std::string& key,
                                                        const std::vector<int64_t>& steps,
                                                        int64_t limit) override;
  // sqlite_inputs.cc
  absl::StatusOr<std::vector<DatasetSummary>> SearchDatasetSummaries(
      const std::vector<int64_t>& experiment_ids, int64_t limit) override;

  // ArtifactIndex
  absl::StatusOr<std::vector<std::string>> PutArtifact(const ArtifactEntry& entry) override;
  absl::StatusOr<ArtifactEntry> GetArtifact(const std::string& path) override;
  // Also returns the entry at exactly `dir` first, when `dir` names a file.
  absl::StatusOr<std::vector<ArtifactEntry>> ListArtifactsUnder(const std::string& dir) override;
  absl::StatusOr<std::vector<std::string>> DeleteArtifacts(const std::string& path,
                                                           int64_t* removed) override;

  // RegistryStore (sqlite_registry_*.cc)
  absl::StatusOr<RegisteredModel> CreateRegisteredModel(const RegisteredModel& model) override;
  absl::StatusOr<RegisteredModel> GetRegisteredModel(const std::string& name) override;
  absl::StatusOr<RegisteredModel> RenameRegisteredModel(const std::string& name,
                                                        const std::string& new_name,
                                                        int64_t now_ms) override;
  absl::StatusOr<RegisteredModel> UpdateRegisteredModel(const std::string& name,
                                                        const std::string& description,
                                                        int64_t now_ms) override;
  absl::Status DeleteRegisteredModel(const std::string& name) override;
  absl::StatusOr<Page<RegisteredModel>> SearchRegisteredModels(
      const RegisteredModelSearchQuery& q) override;
  absl::Status SetRegisteredModelTag(const std::string& name,
                                     const RegisteredModelTag& tag) override;
  absl::Status DeleteRegisteredModelTag(const std::string& name, const std::string& key) override;
  absl::Status SetRegisteredModelAlias(const std::string& name, const std::string& alias,
                                       int64_t version) override;
  absl::Status DeleteRegisteredModelAlias(const std::string& name,
                                          const std::string& alias) override;
  absl::StatusOr<ModelVersion> GetModelVersionByAlias(const std::string& name,
                                                      const std::string& alias) override;
  absl::StatusOr<ModelVersion> CreateModelVersion(const ModelVersion& version) override;
  absl::StatusOr<ModelVersion> GetModelVersion(const std::string& name, int64_t version) override;
  absl::StatusOr<ModelVersion> UpdateModelVersion(const std::string& name, int64_t version,
                                                  const std::string& description,
                                                  int64_t now_ms) override;
  absl::StatusOr<ModelVersion> TransitionModelVersionStage(const std::string& name, int64_t version,
                                                           ModelStage stage, bool archive_existing,
                                                           int64_t now_ms,
                                                           std::vector<int64_t>* archived) override;
  absl::Status DeleteModelVersion(const std::string& name, int64_t version,
                                  int64_t now_ms) override;
  absl::StatusOr<Page<ModelVersion>> SearchModelVersions(const ModelVersionSearchQuery& q) override;
  absl::Status SetModelVersionTag(const std::string& name, int64_t version,
                                  const ModelVersionTag& tag) override;
  absl::Status DeleteModelVersionTag(const std::string& name, int64_t version,
                                     const std::string& key) override;
  absl::StatusOr<ModelVersion> SetModelVersionStatus(const ModelVersion& pending,
                                                     ModelVersionStatus status,
                                                     const std::string& message,
                                                     int64_t now_ms) override;
  absl::StatusOr<std::vector<ModelVersion>> ListPendingModelVersions() override;

  // WebhookStore (sqlite_webhooks.cc)
  absl::Status CreateWebhook(const Webhook& webhook) override;
  absl::StatusOr<Webhook> GetWebhook(const std::string& id) override;
  absl::StatusOr<std::vector<Webhook>> ListWebhooks() override;
  absl::Status DeleteWebhook(const std::string& id) override;
  absl::Status AddDeliveries(const std::vector<WebhookDelivery>& deliveries) override;
  absl::Status RecordDeliveryAttempt(const std::string& delivery_id, const DeliveryAttempt& attempt,
                                     DeliveryState state) override;
  absl::StatusOr<std::vector<WebhookDelivery>> ListDeliveries(const std::string& webhook_id,
                                                              int64_t limit) override;
  absl::StatusOr<std::vector<WebhookDelivery>> ListPendingDeliveries() override;

  // AuthStore (sqlite_auth_users.cc, sqlite_auth_grants.cc)
  absl::StatusOr<UserRecord> CreateAuthUser(const std::string& username,
                                            const std::string& password_hash,
                                            bool is_admin) override;
  absl::StatusOr<UserRecord> GetAuthUser(const std::string& username) override;
  absl::StatusOr<UserRecord> GetAuthUserById(int64_t id) override;
  absl::StatusOr<std::vector<UserRecord>> ListAuthUsers() override;
  absl::Status SetAuthUserPasswordHash(const std::string& username,
                                       const std::string& password_hash) override;
  absl::Status SetAuthUserAdmin(const std::string& username, bool is_admin) override;
  absl::Status DeleteAuthUser(const std::string& username) override;
  absl::StatusOr<bool> HasAuthAdmin() override;
  absl::StatusOr<GrantRecord> CreateGrant(GrantResource kind, const std::string& resource,
                                          const std::string& username,
                                          const std::string& permission) override;
  absl::StatusOr<GrantRecord> GetGrant(GrantResource kind, const std::string& resource,
                                       const std::string& username) override;
  absl::Status UpdateGrant(GrantResource kind, const std::string& resource,
                           const std::string& username, const std::string& permission) override;
  absl::Status DeleteGrant(GrantResource kind, const std::string& resource,
                           const std::string& username) override;
  absl::StatusOr<UserGrants> ListGrants(int64_t user_id) override;
  absl::Status RenameGrants(GrantResource kind, const std::string& old_resource,
                            const std::string& new_resource) override;
  absl::Status DeleteGrants(GrantResource kind, const std::string& resource) override;
  // (auth/sqlite_workspace_members.cc)
  absl::StatusOr<std::vector<WorkspaceMemberRecord>> ListWorkspaceMembers(
      const std::string& workspace) override;
  absl::Status PutWorkspaceMember(const WorkspaceMemberRecord& member) override;
  absl::Status DeleteWorkspaceMember(const std::string& workspace, const std::string& kind,
                                     const std::string& principal) override;
  absl::Status CreateAccessToken(const TokenRecord& token) override;
  absl::StatusOr<TokenRecord> GetAccessTokenByHash(const std::string& token_hash) override;
  absl::StatusOr<std::vector<TokenRecord>> ListAccessTokens(int64_t user_id) override;
  absl::Status RevokeAccessToken(const std::string& id, int64_t now_ms) override;
  absl::Status TouchAccessToken(const std::string& id, int64_t now_ms) override;

  // AuditStore (sqlite_audit.cc)
  absl::StatusOr<int64_t> AppendAudit(const AuditRecord& record) override;
  absl::StatusOr<std::vector<AuditRecord>> ListAudit(const AuditFilter& filter) override;

  // WorkspaceStore (sqlite_workspaces.cc)
  absl::StatusOr<Workspace> CreateWorkspace(const std::string& name, const std::string& description,
                                            int64_t now_ms) override;
  absl::StatusOr<Workspace> GetWorkspace(const std::string& name) override;
  absl::StatusOr<std::vector<Workspace>> ListWorkspaces() override;
  absl::StatusOr<Workspace> UpdateWorkspace(const std::string& name,
                                            const std::string& description) override;
  absl::Status DeleteWorkspace(const std::string& name) override;

 private:
  SqliteStore(std::unique_ptr<sqlite::Connection> writer,
              std::unique_ptr<sqlite::ConnectionPool> readers,
              std::unique_ptr<sqlite::Checkpointer> checkpointer);

  // Run `fn(sqlite::Connection&)` (returning Status or StatusOr<T>) in a transaction and
  // return its result; a failed `fn` rolls back. Defined in store/sqlite/transaction.h.
  template <typename Fn>
  auto InWriteTransaction(Fn&& fn);
  template <typename Fn>
  auto InReadTransaction(Fn&& fn);

  std::atomic<StoreTimingObserver*> timing_observer_{nullptr};
  std::mutex write_mu_;
  std::unique_ptr<sqlite::Connection> writer_ ABSL_GUARDED_BY(write_mu_);
  std::unique_ptr<sqlite::ConnectionPool> readers_;
  // Declared after writer_: destroyed first, while the writer it hooks is still open.
  std::unique_ptr<sqlite::Checkpointer> checkpointer_;
};

}  // namespace ferry::store::sqlite
