#include "registry/registry_service.h"

#include "common/strings.h"
#include "core/registry_validation.h"
#include "core/search/search_parser.h"
#include "core/workspace.h"

namespace ferry::registry {
namespace {

absl::Status ValidateTags(const std::vector<KeyValue>& tags) {
  for (const KeyValue& t : tags) RETURN_IF_ERROR(ValidateRegistryTag(t.key, t.value));
  return absl::OkStatus();
}

// The verifier's own tags (kVerifiedTagPrefix) are not the client's to set or delete.
absl::Status NotVerifiedTag(std::string_view key) {
  if (!StartsWith(key, kVerifiedTagPrefix)) return absl::OkStatus();
  return absl::InvalidArgumentError("Tag key '" + std::string(key) +
                                    "' is reserved: the server's registration gate sets '" +
                                    std::string(kVerifiedTagPrefix) + "*' tags");
}

// A new version's tags without the verifier's: MLflow's copy_model_version copies every tag
// of the version it copies, and the copy has not been verified (yet).
std::vector<KeyValue> WithoutVerifiedTags(const std::vector<KeyValue>& tags) {
  std::vector<KeyValue> kept;
  for (const KeyValue& t : tags) {
    if (!StartsWith(t.key, kVerifiedTagPrefix)) kept.push_back(t);
  }
  return kept;
}

// Aliases and active stages need a verified version.
absl::Status CheckReady(const ModelVersion& v, std::string_view action) {
  if (v.status == ModelVersionStatus::kReady) return absl::OkStatus();
  std::string message = "Model version " + v.name + " version " + std::to_string(v.version) +
                        " is " + ModelVersionStatusName(v.status) + ", not READY";
  if (!v.status_message.empty()) message += " (" + v.status_message + ")";
  return absl::InvalidArgumentError(message + "; cannot " + std::string(action) + ".");
}

}  // namespace

RegistryService::RegistryService(store::RegistryStore& store, Clock& clock,
                                 VersionVerifier* verifier)
    : store_(store), clock_(clock), verifier_(verifier) {}

RegistryService::~RegistryService() = default;

absl::Status RegistryService::Start() {
  if (verifier_ == nullptr || worker_ != nullptr) return absl::OkStatus();
  worker_ = std::make_unique<RegistrationWorker>(store_, *verifier_, clock_, nullptr);
  ASSIGN_OR_RETURN(std::vector<ModelVersion> pending, store_.ListPendingModelVersions());
  for (const ModelVersion& v : pending) worker_->Enqueue(v.workspace, v.name, v.version);
  return absl::OkStatus();
}

void RegistryService::WaitForRegistrations() {
  if (worker_) worker_->WaitIdle();
}

void RegistryService::Publish(RegistryEvent event) {
  event.timestamp_ms = clock_.NowMillis();
  for (RegistryObserver* o : observers_) o->OnRegistryEvent(event);
}

// ---- registered models ----

absl::StatusOr<RegisteredModel> RegistryService::CreateRegisteredModel(
    const CreateRegisteredModelRequest& r) {
  RETURN_IF_ERROR(ValidateModelName(r.name));
  RETURN_IF_ERROR(ValidateTags(r.tags));
  RegisteredModel m;
  m.name = r.name;
  m.tags = r.tags;
  m.description = r.description;
  m.user_id = r.user_id;
  m.creation_timestamp = m.last_updated_timestamp = clock_.NowMillis();
  ASSIGN_OR_RETURN(RegisteredModel created, store_.CreateRegisteredModel(r.workspace, m));
  RegistryEvent e;
  e.type = RegistryEventType::kRegisteredModelCreated;
  e.workspace = r.workspace;
  e.model_name = created.name;
  e.description = created.description;
  e.tags = created.tags;
  Publish(std::move(e));
  return created;
}

absl::StatusOr<RegisteredModel> RegistryService::GetRegisteredModel(const std::string& workspace,
                                                                    const std::string& name) {
  RETURN_IF_ERROR(ValidateModelName(name));
  return store_.GetRegisteredModel(workspace, name);
}

absl::StatusOr<RegisteredModel> RegistryService::RenameRegisteredModel(
    const std::string& workspace, const std::string& name, const std::string& new_name) {
  RETURN_IF_ERROR(ValidateModelName(name));
  RETURN_IF_ERROR(ValidateModelName(new_name, "new_name"));
  return store_.RenameRegisteredModel(workspace, name, new_name, clock_.NowMillis());
}

absl::StatusOr<RegisteredModel> RegistryService::UpdateRegisteredModel(
    const std::string& workspace, const std::string& name, const std::string& description) {
  RETURN_IF_ERROR(ValidateModelName(name));
  return store_.UpdateRegisteredModel(workspace, name, description, clock_.NowMillis());
}

absl::Status RegistryService::DeleteRegisteredModel(const std::string& workspace,
                                                    const std::string& name) {
  RETURN_IF_ERROR(ValidateModelName(name));
  return store_.DeleteRegisteredModel(workspace, name);
}

absl::StatusOr<SearchResult<RegisteredModel>> RegistryService::SearchRegisteredModels(
    const SearchRegistryRequest& r) {
  store::RegisteredModelSearchQuery q;
  ASSIGN_OR_RETURN(q.max_results,
                   CheckMaxResults(r.max_results, kDefaultRegisteredModelsSearchResults,
                                   kMaxRegisteredModelsSearchResults));
  ASSIGN_OR_RETURN(q.filter, ParseRegisteredModelFilter(r.filter));
  ASSIGN_OR_RETURN(q.order_by, ParseRegisteredModelOrderBy(r.order_by));
  ASSIGN_OR_RETURN(q.offset, DecodePageToken(r.page_token));
  q.scope = r.scope;
  if (q.scope.workspace.empty()) q.scope.workspace = std::string(kDefaultWorkspace);
  ASSIGN_OR_RETURN(Page<RegisteredModel> page, store_.SearchRegisteredModels(q));
  return ToSearchResult(std::move(page));
}

absl::StatusOr<std::vector<ModelVersion>> RegistryService::GetLatestVersions(
    const std::string& workspace, const std::string& name, const std::vector<std::string>& stages) {
  RETURN_IF_ERROR(ValidateModelName(name));
  std::vector<ModelStage> wanted;
  for (const std::string& s : stages) {
    ASSIGN_OR_RETURN(ModelStage stage, ParseModelStage(s));
    wanted.push_back(stage);
  }
  ASSIGN_OR_RETURN(RegisteredModel m, store_.GetRegisteredModel(workspace, name));
  std::vector<ModelVersion> out;
  for (ModelVersion& v : m.latest_versions) {
    bool match = wanted.empty();
    for (ModelStage s : wanted) match = match || s == v.current_stage;
    if (match) out.push_back(std::move(v));
  }
  return out;
}

absl::Status RegistryService::SetRegisteredModelTag(const std::string& workspace,
                                                    const std::string& name,
                                                    const RegisteredModelTag& tag) {
  RETURN_IF_ERROR(ValidateModelName(name));
  RETURN_IF_ERROR(ValidateRegistryTag(tag.key, tag.value));
  RETURN_IF_ERROR(store_.SetRegisteredModelTag(workspace, name, tag));
  RegistryEvent e;
  e.type = RegistryEventType::kRegisteredModelTagSet;
  e.workspace = workspace;
  e.model_name = name;
  e.tag_key = tag.key;
  e.tag_value = tag.value;
  Publish(std::move(e));
  return absl::OkStatus();
}

absl::Status RegistryService::DeleteRegisteredModelTag(const std::string& workspace,
                                                       const std::string& name,
                                                       const std::string& key) {
  RETURN_IF_ERROR(ValidateModelName(name));
  RETURN_IF_ERROR(ValidateRegistryTag(key, ""));
  return store_.DeleteRegisteredModelTag(workspace, name, key);
}

// ---- aliases ----

absl::Status RegistryService::SetRegisteredModelAlias(const std::string& workspace,
                                                      const std::string& name,
                                                      const std::string& alias,
                                                      const std::string& version) {
  RETURN_IF_ERROR(ValidateModelName(name));
  RETURN_IF_ERROR(ValidateModelAlias(alias));
  ASSIGN_OR_RETURN(int64_t number, ParseModelVersionNumber(version));
  ASSIGN_OR_RETURN(ModelVersion v, store_.GetModelVersion(workspace, name, number));
  // A version leaves PENDING_REGISTRATION only once, so a READY seen here stays READY.
  RETURN_IF_ERROR(CheckReady(v, "set alias '" + alias + "'"));
  RETURN_IF_ERROR(store_.SetRegisteredModelAlias(workspace, name, alias, number));
  RegistryEvent e;
  e.type = RegistryEventType::kModelVersionAliasSet;
  e.workspace = workspace;
  e.model_name = name;
  e.version = number;
  e.alias = alias;
  Publish(std::move(e));
  return absl::OkStatus();
}

absl::Status RegistryService::DeleteRegisteredModelAlias(const std::string& workspace,
                                                         const std::string& name,
                                                         const std::string& alias) {
  RETURN_IF_ERROR(ValidateModelName(name));
  RETURN_IF_ERROR(ValidateModelAlias(alias));
  RETURN_IF_ERROR(store_.DeleteRegisteredModelAlias(workspace, name, alias));
  RegistryEvent e;
  e.type = RegistryEventType::kModelVersionAliasDeleted;
  e.workspace = workspace;
  e.model_name = name;
  e.alias = alias;
  Publish(std::move(e));
  return absl::OkStatus();
}

absl::StatusOr<ModelVersion> RegistryService::GetModelVersionByAlias(const std::string& workspace,
                                                                     const std::string& name,
                                                                     const std::string& alias) {
  RETURN_IF_ERROR(ValidateModelName(name));
  return store_.GetModelVersionByAlias(workspace, name, alias);
}

// ---- model versions ----

absl::StatusOr<ModelVersion> RegistryService::CreateModelVersion(
    const CreateModelVersionRequest& r) {
  RETURN_IF_ERROR(ValidateModelName(r.name));
  RETURN_IF_ERROR(ValidateTags(r.tags));
  ModelVersion v;
  v.name = r.name;
  v.source = r.source;
  v.run_id = r.run_id;
  v.tags = WithoutVerifiedTags(r.tags);
  v.run_link = r.run_link;
  v.description = r.description;
  v.user_id = r.user_id;
  v.creation_timestamp = v.last_updated_timestamp = clock_.NowMillis();
  v.workspace = r.workspace;
  const bool verify = verifier_ != nullptr && verifier_->Needed(v);
  v.status = verify ? ModelVersionStatus::kPendingRegistration : ModelVersionStatus::kReady;
  ASSIGN_OR_RETURN(ModelVersion created, store_.CreateModelVersion(r.workspace, v));
  if (verify && worker_) worker_->Enqueue(r.workspace, created.name, created.version);
  RegistryEvent e;
  e.type = RegistryEventType::kModelVersionCreated;
  e.workspace = r.workspace;
  e.model_name = created.name;
  e.version = created.version;
  e.source = created.source;
  e.run_id = created.run_id;
  e.description = created.description;
  e.tags = created.tags;
  Publish(std::move(e));
  return created;
}

absl::StatusOr<ModelVersion> RegistryService::GetModelVersion(const std::string& workspace,
                                                              const std::string& name,
                                                              const std::string& version) {
  RETURN_IF_ERROR(ValidateModelName(name));
  ASSIGN_OR_RETURN(int64_t number, ParseModelVersionNumber(version));
  return store_.GetModelVersion(workspace, name, number);
}

absl::StatusOr<ModelVersion> RegistryService::UpdateModelVersion(const std::string& workspace,
                                                                 const std::string& name,
                                                                 const std::string& version,
                                                                 const std::string& description) {
  RETURN_IF_ERROR(ValidateModelName(name));
  ASSIGN_OR_RETURN(int64_t number, ParseModelVersionNumber(version));
  return store_.UpdateModelVersion(workspace, name, number, description, clock_.NowMillis());
}

absl::StatusOr<ModelVersion> RegistryService::TransitionModelVersionStage(
    const std::string& workspace, const std::string& name, const std::string& version,
    const std::string& stage, bool archive_existing_versions) {
  RETURN_IF_ERROR(ValidateModelName(name));
  ASSIGN_OR_RETURN(int64_t number, ParseModelVersionNumber(version));
  ASSIGN_OR_RETURN(ModelStage target, ParseModelStage(stage));
  if (archive_existing_versions && !IsActiveStage(target)) {
    return absl::InvalidArgumentError(
        "Model version transition cannot archive existing model versions because '" + stage +
        "' is not an Active stage. Valid stages are ['Staging', 'Production']");
  }
  if (IsActiveStage(target)) {
    ASSIGN_OR_RETURN(ModelVersion current, store_.GetModelVersion(workspace, name, number));
    RETURN_IF_ERROR(CheckReady(current, std::string("transition it to ") + ModelStageName(target)));
  }
  std::vector<int64_t> archived;
  ASSIGN_OR_RETURN(
      ModelVersion moved,
      store_.TransitionModelVersionStage(workspace, name, number, target, archive_existing_versions,
                                         clock_.NowMillis(), &archived));
  for (int64_t other : archived) {
    RegistryEvent e;
    e.type = RegistryEventType::kModelVersionStageChanged;
    e.workspace = workspace;
    e.model_name = name;
    e.version = other;
    e.stage = ModelStageName(ModelStage::kArchived);
    Publish(std::move(e));
  }
  RegistryEvent e;
  e.type = RegistryEventType::kModelVersionStageChanged;
  e.workspace = workspace;
  e.model_name = name;
  e.version = number;
  e.stage = ModelStageName(target);
  Publish(std::move(e));
  return moved;
}

absl::Status RegistryService::DeleteModelVersion(const std::string& workspace,
                                                 const std::string& name,
                                                 const std::string& version) {
  RETURN_IF_ERROR(ValidateModelName(name));
  ASSIGN_OR_RETURN(int64_t number, ParseModelVersionNumber(version));
  return store_.DeleteModelVersion(workspace, name, number, clock_.NowMillis());
}

absl::StatusOr<SearchResult<ModelVersion>> RegistryService::SearchModelVersions(
    const SearchRegistryRequest& r) {
  store::ModelVersionSearchQuery q;
  ASSIGN_OR_RETURN(q.max_results, CheckMaxResults(r.max_results, kMaxModelVersionsSearchResults,
                                                  kMaxModelVersionsSearchResults));
  ASSIGN_OR_RETURN(q.filter, ParseModelVersionFilter(r.filter));
  ASSIGN_OR_RETURN(q.order_by, ParseModelVersionOrderBy(r.order_by));
  ASSIGN_OR_RETURN(q.offset, DecodePageToken(r.page_token));
  q.scope = r.scope;
  if (q.scope.workspace.empty()) q.scope.workspace = std::string(kDefaultWorkspace);
  ASSIGN_OR_RETURN(Page<ModelVersion> page, store_.SearchModelVersions(q));
  return ToSearchResult(std::move(page));
}

absl::StatusOr<std::string> RegistryService::GetModelVersionDownloadUri(
    const std::string& workspace, const std::string& name, const std::string& version) {
  ASSIGN_OR_RETURN(ModelVersion v, GetModelVersion(workspace, name, version));
  constexpr std::string_view kPackages = "mlflow-artifacts:/packages/";
  if (package_resolver_ && v.source.compare(0, kPackages.size(), kPackages) == 0) {
    std::string uri = package_resolver_(v.source);
    return uri.empty() ? v.source : uri;
  }
  constexpr std::string_view kRuns = "runs:/";
  if (!resolver_ || v.source.compare(0, kRuns.size(), kRuns) != 0) return v.source;
  std::string rest = v.source.substr(kRuns.size());
  size_t slash = rest.find('/');
  std::string run_id = rest.substr(0, slash);
  std::string path = slash == std::string::npos ? "" : rest.substr(slash + 1);
  auto root = resolver_(run_id);
  if (!root.ok()) return v.source;  // the run is gone: the source is all there is
  return path.empty() ? *root : *root + "/" + path;
}

absl::Status RegistryService::SetModelVersionTag(const std::string& workspace,
                                                 const std::string& name,
                                                 const std::string& version,
                                                 const ModelVersionTag& tag) {
  RETURN_IF_ERROR(ValidateModelName(name));
  ASSIGN_OR_RETURN(int64_t number, ParseModelVersionNumber(version));
  RETURN_IF_ERROR(ValidateRegistryTag(tag.key, tag.value));
  RETURN_IF_ERROR(NotVerifiedTag(tag.key));
  RETURN_IF_ERROR(store_.SetModelVersionTag(workspace, name, number, tag));
  RegistryEvent e;
  e.type = RegistryEventType::kModelVersionTagSet;
  e.workspace = workspace;
  e.model_name = name;
  e.version = number;
  e.tag_key = tag.key;
  e.tag_value = tag.value;
  Publish(std::move(e));
  return absl::OkStatus();
}

absl::Status RegistryService::DeleteModelVersionTag(const std::string& workspace,
                                                    const std::string& name,
                                                    const std::string& version,
                                                    const std::string& key) {
  RETURN_IF_ERROR(ValidateModelName(name));
  ASSIGN_OR_RETURN(int64_t number, ParseModelVersionNumber(version));
  RETURN_IF_ERROR(ValidateRegistryTag(key, ""));
  RETURN_IF_ERROR(NotVerifiedTag(key));
  RETURN_IF_ERROR(store_.DeleteModelVersionTag(workspace, name, number, key));
  RegistryEvent e;
  e.type = RegistryEventType::kModelVersionTagDeleted;
  e.workspace = workspace;
  e.model_name = name;
  e.version = number;
  e.tag_key = key;
  Publish(std::move(e));
  return absl::OkStatus();
}

}  // namespace ferry::registry
