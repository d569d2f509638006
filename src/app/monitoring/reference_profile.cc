#include "app/monitoring/reference_profile.h"

#include "monitoring/profile/profile_codec.h"
#include "package/build/contents.h"

namespace ferry::app {

absl::StatusOr<std::optional<monitoring::DatasetProfile>> LoadReferenceProfile(
    const std::string& package_path) {
  ASSIGN_OR_RETURN(std::optional<std::string> bytes,
                   package::ReadReferenceProfileBytes(package_path));
  if (!bytes) return std::optional<monitoring::DatasetProfile>();
  auto profile = monitoring::DecodeProfile(*bytes);
  if (!profile.ok()) {
    return absl::InvalidArgumentError("reference profile: " +
                                      std::string(profile.status().message()));
  }
  return std::optional<monitoring::DatasetProfile>(*std::move(profile));
}

}  // namespace ferry::app
