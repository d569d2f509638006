#pragma once
// The MLflow model registry REST calls `ferry models` makes, over HttpClient. Responses are
// returned as parsed JSON (the CLI prints them as tables or as-is); errors come back as
// ServerError statuses (kAlreadyExists for RESOURCE_ALREADY_EXISTS, kNotFound for 404).

#include <string>

#include "cli/mlflow/tracking_client.h"
#include "common/json.h"

namespace ferry::cli {

// The member `field` of a registry JSON object as text: strings as they are, integers in
// decimal, other values as JSON; "" when absent.
std::string FieldText(const JsonValue& obj, std::string_view field);

class ModelRegistryClient {
 public:
  explicit ModelRegistryClient(HttpClient http) : http_(std::move(http)) {}

  // {"registered_models": [...], "next_page_token": ...}
  absl::StatusOr<JsonValue> SearchModels(const std::string& filter, int64_t max_results,
                                         const std::string& page_token);
  // The "registered_model" object.
  absl::StatusOr<JsonValue> GetModel(const std::string& name);
  absl::StatusOr<JsonValue> CreateModel(const std::string& name, const std::string& description);
  // Every version of `name`, newest first.
  absl::StatusOr<std::vector<JsonValue>> ListVersions(const std::string& name);
  // The "model_version" objects.
  absl::StatusOr<JsonValue> CreateVersion(const std::string& name, const std::string& source,
                                          const std::string& run_id,
                                          const std::string& description);
  absl::StatusOr<JsonValue> GetVersion(const std::string& name, const std::string& version);
  // The version `alias` points at (registered-models/alias); kNotFound when unset.
  absl::StatusOr<JsonValue> GetVersionByAlias(const std::string& name, const std::string& alias);
  // The latest version in `stage` (get-latest-versions), or with an empty `stage` the highest
  // version overall, as MLflow resolves models:/NAME/STAGE and models:/NAME/latest.
  // kNotFound when there is none.
  absl::StatusOr<JsonValue> GetLatestVersion(const std::string& name, const std::string& stage);
  absl::StatusOr<JsonValue> TransitionStage(const std::string& name, const std::string& version,
                                            const std::string& stage, bool archive_existing);
  absl::Status SetAlias(const std::string& name, const std::string& alias,
                        const std::string& version);
  absl::Status DeleteAlias(const std::string& name, const std::string& alias);
  absl::Status SetVersionTag(const std::string& name, const std::string& version,
                             const std::string& key, const std::string& value);
  // Hands an OCI-layout tar to the server (POST /api/ferry/v1/packages), which verifies and
  // stores it; returns the "package" object (digest, name, version, source, checks).
  absl::StatusOr<JsonValue> UploadPackage(const std::string& tar_path);

 private:
  absl::StatusOr<JsonValue> Call(const std::string& method, const std::string& path,
                                 const std::string& body);
  HttpClient http_;
};

}  // namespace ferry::cli
