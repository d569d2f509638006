#include "core/registry_types.h"

#include "common/strings.h"

namespace ferry {

const char* ModelStageName(ModelStage s) {
  switch (s) {
    case ModelStage::kNone:
      return "None";
    case ModelStage::kStaging:
      return "Staging";
    case ModelStage::kProduction:
      return "Production";
    case ModelStage::kArchived:
      return "Archived";
  }
  return "None";
}

absl::StatusOr<ModelStage> ParseModelStage(std::string_view s) {
  for (ModelStage stage :
       {ModelStage::kNone, ModelStage::kStaging, ModelStage::kProduction, ModelStage::kArchived}) {
    if (EqualsIgnoreCase(s, ModelStageName(stage))) return stage;
  }
  return absl::InvalidArgumentError("Invalid Model Version stage: " + std::string(s) +
                                    ". Value must be one of None, Staging, Production, Archived.");
}

bool IsActiveStage(ModelStage s) {
  return s == ModelStage::kStaging || s == ModelStage::kProduction;
}

const char* ModelVersionStatusName(ModelVersionStatus s) {
  switch (s) {
    case ModelVersionStatus::kPendingRegistration:
      return "PENDING_REGISTRATION";
    case ModelVersionStatus::kFailedRegistration:
      return "FAILED_REGISTRATION";
    case ModelVersionStatus::kReady:
      return "READY";
  }
  return "READY";
}

std::optional<ModelVersionStatus> ParseModelVersionStatus(std::string_view s) {
  for (ModelVersionStatus status :
       {ModelVersionStatus::kPendingRegistration, ModelVersionStatus::kFailedRegistration,
        ModelVersionStatus::kReady}) {
    if (s == ModelVersionStatusName(status)) return status;
  }
  return std::nullopt;
}

}  // namespace ferry
