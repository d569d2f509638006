#pragma once
// Value types of the model registry, mirroring MLflow's model_registry.proto entities
// (RegisteredModel, ModelVersion, tags, aliases). Plain data: no I/O, no JSON.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "core/tracking_types.h"

namespace ferry {

// MLflow's (deprecated but served) model version stages.
enum class ModelStage { kNone, kStaging, kProduction, kArchived };
// "None" | "Staging" | "Production" | "Archived"
const char* ModelStageName(ModelStage s);
// Case-insensitive, as MLflow's get_canonical_stage. kInvalidArgument "Invalid Model Version
// stage: <s>. Value must be one of None, Staging, Production, Archived."
absl::StatusOr<ModelStage> ParseModelStage(std::string_view s);
// Staging and Production: the stages get-latest-versions and archive_existing_versions treat
// as active.
bool IsActiveStage(ModelStage s);

enum class ModelVersionStatus { kPendingRegistration, kFailedRegistration, kReady };
// "PENDING_REGISTRATION" | "FAILED_REGISTRATION" | "READY"
const char* ModelVersionStatusName(ModelVersionStatus s);
// Exact names as above; nullopt otherwise.
std::optional<ModelVersionStatus> ParseModelVersionStatus(std::string_view s);

using RegisteredModelTag = KeyValue;
using ModelVersionTag = KeyValue;

struct RegisteredModelAlias {
  std::string alias;
  int64_t version = 0;
  bool operator==(const RegisteredModelAlias&) const = default;
};

struct ModelVersion {
  std::string name;
  int64_t version = 0;  // 1, 2, ... per model; a string on the wire
  int64_t creation_timestamp = 0;
  int64_t last_updated_timestamp = 0;
  std::string user_id;
  ModelStage current_stage = ModelStage::kNone;
  std::string description;
  std::string source;
  std::string run_id;
  ModelVersionStatus status = ModelVersionStatus::kReady;
  std::string status_message;
  std::vector<ModelVersionTag> tags;
  std::string run_link;
  std::vector<std::string> aliases;   // aliases pointing at this version
  std::string workspace = "default";  // --enable-workspaces: the model's workspace
};

struct RegisteredModel {
  std::string name;
  int64_t creation_timestamp = 0;
  int64_t last_updated_timestamp = 0;
  std::string user_id;
  std::string description;
  std::vector<ModelVersion> latest_versions;  // the latest version in each stage
  std::vector<RegisteredModelTag> tags;
  std::vector<RegisteredModelAlias> aliases;
};

}  // namespace ferry
