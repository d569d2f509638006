#include "cli/model_fetch.h"

#include <unistd.h>

#include <set>

#include "cli/registry_client.h"
#include "cli/tracking_client.h"
#include "common/fs.h"
#include "common/json.h"
#include "common/strings.h"
#include "package/oci.h"

namespace ferry::cli {
namespace {

constexpr std::string_view kModelsScheme = "models:/";
constexpr std::string_view kPackagePrefix = "mlflow-artifacts:/packages/sha256-";

std::string Str(const JsonValue& obj, std::string_view key) {
  const JsonValue* v = obj.Find(key);
  return v != nullptr && v->is_string() ? v->as_string() : "";
}

// Downloads one blob of the layout rooted at `source` into `dir`, unless present.
absl::Status FetchBlob(TrackingClient& client, const std::string& source, const std::string& dir,
                       const std::string& digest) {
  RETURN_IF_ERROR(package::ValidateDigest(digest, "blob"));
  const std::string rel = "blobs/sha256/" + package::DigestHex(digest);
  const std::string local = JoinPath(dir, rel);
  if (PathExists(local)) return absl::OkStatus();
  const std::string part = local + ".part";
  RETURN_IF_ERROR(client.DownloadArtifact(source, rel, part));
  if (::rename(part.c_str(), local.c_str()) != 0) return ErrnoStatus(errno, "rename", local);
  return absl::OkStatus();
}

// Fetches the index, then every manifest it lists with its config and layers; index.json
// is written last, so its presence marks a complete download.
absl::Status FetchLayout(TrackingClient& client, const std::string& source,
                         const std::string& dir) {
  if (PathExists(JoinPath(dir, "index.json"))) return absl::OkStatus();
  RETURN_IF_ERROR(MakeDirs(JoinPath(dir, "blobs/sha256")));
  const std::string index_part = JoinPath(dir, "index.json.part");
  RETURN_IF_ERROR(client.DownloadArtifact(source, "index.json", index_part));
  RETURN_IF_ERROR(client.DownloadArtifact(source, "oci-layout", JoinPath(dir, "oci-layout")));
  ASSIGN_OR_RETURN(std::string index_bytes, ReadFile(index_part));
  ASSIGN_OR_RETURN(package::ImageIndex index, package::ParseIndex(index_bytes));
  for (const package::Descriptor& m : index.manifests) {
    RETURN_IF_ERROR(FetchBlob(client, source, dir, m.digest));
    ASSIGN_OR_RETURN(std::string bytes,
                     ReadFile(JoinPath(dir, "blobs/sha256/" + package::DigestHex(m.digest))));
    ASSIGN_OR_RETURN(package::Manifest manifest, package::ParseManifest(bytes));
    RETURN_IF_ERROR(FetchBlob(client, source, dir, manifest.config.digest));
    for (const package::Descriptor& layer : manifest.layers) {
      RETURN_IF_ERROR(FetchBlob(client, source, dir, layer.digest));
    }
  }
  const std::string index_path = JoinPath(dir, "index.json");
  if (::rename(index_part.c_str(), index_path.c_str()) != 0) {
    return ErrnoStatus(errno, "rename", index_path);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ModelRef> ParseModelRef(const std::string& uri) {
  ModelRef ref;
  if (!StartsWith(uri, kModelsScheme)) {
    ref.path = uri;
    return ref;
  }
  const std::string rest = uri.substr(kModelsScheme.size());
  const size_t at = rest.find('@');
  const size_t slash = rest.find('/');
  if (at != std::string::npos && at > 0 && at + 1 < rest.size()) {
    ref.name = rest.substr(0, at);
    ref.alias = rest.substr(at + 1);
  } else if (slash != std::string::npos && slash > 0 && slash + 1 < rest.size()) {
    ref.name = rest.substr(0, slash);
    ref.version = rest.substr(slash + 1);
  } else {
    return absl::InvalidArgumentError("\"" + uri +
                                      "\": expected models:/NAME@ALIAS or models:/NAME/VERSION");
  }
  return ref;
}

absl::StatusOr<FetchedModel> FetchModel(const ModelRef& ref, const std::string& tracking_uri,
                                        const std::string& cache_dir) {
  if (!ref.path.empty()) return FetchedModel{"", "", ref.path};
  ASSIGN_OR_RETURN(HttpClient http, HttpClient::ForUri(tracking_uri));
  http.set_unreachable_hint(
      "models:/ references are resolved by the registry: start `ferry server` or point "
      "--tracking-uri / MLFLOW_TRACKING_URI at one.");
  RegistryClient registry(http);
  ASSIGN_OR_RETURN(JsonValue version, ref.alias.empty()
                                          ? registry.GetVersion(ref.name, ref.version)
                                          : registry.GetVersionByAlias(ref.name, ref.alias));
  FetchedModel out{ref.name, Str(version, "version"), ""};
  const std::string status = Str(version, "status");
  if (status != "READY") {
    return absl::FailedPreconditionError("version " + out.version + " of " + ref.name + " is " +
                                         status + ", not READY");
  }
  const std::string source = Str(version, "source");
  if (!StartsWith(source, kPackagePrefix)) {
    return absl::FailedPreconditionError(
        "version " + out.version + " of " + ref.name + " has source \"" + source +
        "\", not a stored package; register it with `ferry models register --package`");
  }
  out.package_path = JoinPath(cache_dir, source.substr(source.rfind('/') + 1));
  TrackingClient client(std::move(http));
  RETURN_IF_ERROR(FetchLayout(client, source, out.package_path));
  return out;
}

}  // namespace ferry::cli
