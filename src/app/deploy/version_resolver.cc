#include "app/deploy/version_resolver.h"

#include "cli/mlflow/model_fetch.h"
#include "common/fs.h"
#include "loader/package_loader.h"
#include "package/build/contents.h"
#include "package/layout/layout_source.h"

namespace ferry::app {

absl::StatusOr<serving::VersionRef> ResolveVersion(const std::string& uri,
                                                   const std::string& tracking_uri,
                                                   const std::string& cache_dir) {
  ASSIGN_OR_RETURN(cli::ModelRef ref, cli::ParseModelRef(uri));
  ASSIGN_OR_RETURN(cli::FetchedModel fetched, cli::FetchModel(ref, tracking_uri, cache_dir));
  serving::VersionRef out;
  out.source = fetched.package_path;
  if (!fetched.name.empty()) {
    // The registry named it; the loader reports the family. Alias polls stop here, without
    // reading the cached package again.
    out.name = fetched.name;
    out.version = fetched.version;
    return out;
  }
  if (loader::IsBareMlflowDir(fetched.package_path)) {
    out.name = loader::BareMlflowName(fetched.package_path);
    out.version = "1";
    out.family = "mlflow";
    return out;
  }
  // A local package names itself.
  package::LayoutSource source;
  RETURN_IF_ERROR(source.Open(fetched.package_path));
  ASSIGN_OR_RETURN(package::PackageContents contents, package::ReadPackage(source.layout(), ""));
  const package::PackageConfig& config = contents.config;
  out.name = config.descriptor.name;
  out.version = config.descriptor.version.empty() ? "1" : config.descriptor.version;
  if (config.ferry.predictor) out.family = config.ferry.predictor->family;
  return out;
}

serving::VersionLoader PackageLoader(const runtime::FamilyRegistry& families,
                                     loader::LoadOptions options) {
  return [&families,
          options](const serving::VersionRef& ref) -> absl::StatusOr<serving::LoadedModel> {
    ASSIGN_OR_RETURN(loader::LoadedPackage loaded,
                     loader::LoadModelSource(families, ref.source, options));
    return serving::LoadedModel(std::move(loaded.predictor), loaded.family, loaded.backend_reason);
  };
}

}  // namespace ferry::app
