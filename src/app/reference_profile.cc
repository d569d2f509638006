#include "app/reference_profile.h"

#include "monitoring/profile/profile_codec.h"
#include "package/build/contents.h"
#include "package/layout/layout_source.h"

namespace ferry::app {
namespace {

constexpr int64_t kMaxProfileBytes = int64_t{256} << 20;

}  // namespace

absl::StatusOr<std::optional<monitoring::DatasetProfile>> LoadReferenceProfile(
    const std::string& package_path) {
  package::LayoutSource source;
  RETURN_IF_ERROR(source.Open(package_path));
  ASSIGN_OR_RETURN(package::PackageContents contents, package::ReadPackage(source.layout(), ""));
  const std::optional<std::string>& digest = contents.config.ferry.reference_profile;
  if (!digest) return std::optional<monitoring::DatasetProfile>();
  ASSIGN_OR_RETURN(std::string bytes, source.layout().ReadBlob(*digest, kMaxProfileBytes));
  auto profile = monitoring::DecodeProfile(bytes);
  if (!profile.ok()) {
    return absl::InvalidArgumentError("reference profile " + *digest + ": " +
                                      std::string(profile.status().message()));
  }
  return std::optional<monitoring::DatasetProfile>(*std::move(profile));
}

}  // namespace ferry::app
