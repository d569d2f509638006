#include "cli/mlflow/model_fetch.h"

#include <fcntl.h>
#include <unistd.h>

#include <optional>
#include <set>

#include "cli/mlflow/model_registry_client.h"
#include "cli/mlflow/run_artifacts.h"
#include "cli/mlflow/server_client.h"
#include "cli/mlflow/tracking_client.h"
#include "common/clock.h"
#include "common/file_hash.h"
#include "common/fs.h"
#include "common/json.h"
#include "common/strings.h"
#include "package/layout/oci.h"

namespace ferry::cli {
namespace {

constexpr std::string_view kModelsScheme = "models:/";
constexpr std::string_view kPackagePrefix = "mlflow-artifacts:/packages/sha256-";

// A temporary name beside `path` unique to this download (several processes may share the
// cache).
std::string PartName(const std::string& path) {
  return path + ".part-" + NewUuidHex(SystemRandom());
}

absl::Status CheckDigest(const std::string& path, const std::string& digest) {
  ASSIGN_OR_RETURN(Fd fd, OpenRegularFile(path, nullptr));
  auto hashed = HashFd(fd.get(), path, nullptr);
  RETURN_IF_ERROR(hashed.status());
  if (hashed->hex == package::DigestHex(digest)) return absl::OkStatus();
  return absl::DataLossError("blob " + digest + " from the server does not match its digest");
}

// Downloads one blob of the layout rooted at `source` into `dir`, unless present. The bytes
// must hash to the digest before they take its name, so the cache never holds a bad blob.
absl::Status FetchBlob(TrackingClient& client, const std::string& source, const std::string& dir,
                       const std::string& digest) {
  RETURN_IF_ERROR(package::ValidateDigest(digest, "blob"));
  const std::string rel = "blobs/sha256/" + package::DigestHex(digest);
  const std::string local = JoinPath(dir, rel);
  if (PathExists(local)) return absl::OkStatus();
  const std::string part = PartName(local);
  absl::Status s = client.DownloadArtifact(source, rel, part);
  if (s.ok()) s = CheckDigest(part, digest);
  if (s.ok() && ::rename(part.c_str(), local.c_str()) != 0) s = ErrnoStatus(errno, "rename", local);
  if (!s.ok()) ::unlink(part.c_str());
  return s;
}

// Fetches the index, then every manifest it lists with its config and layers; index.json
// is written last, so its presence marks a complete download.
absl::Status FetchLayout(TrackingClient& client, const std::string& source,
                         const std::string& dir) {
  if (PathExists(JoinPath(dir, "index.json"))) return absl::OkStatus();
  RETURN_IF_ERROR(MakeDirs(JoinPath(dir, "blobs/sha256")));
  const std::string index_part = PartName(JoinPath(dir, "index.json"));
  RETURN_IF_ERROR(client.DownloadArtifact(source, "index.json", index_part));
  const std::string layout_part = PartName(JoinPath(dir, "oci-layout"));
  RETURN_IF_ERROR(client.DownloadArtifact(source, "oci-layout", layout_part));
  if (::rename(layout_part.c_str(), JoinPath(dir, "oci-layout").c_str()) != 0) {
    return ErrnoStatus(errno, "rename", JoinPath(dir, "oci-layout"));
  }
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

// Downloads the run's artifacts under `uri.path` into `cache_dir`/runs/RUN_ID/PATH once
// (staged beside it, renamed into place when complete); they must hold an MLflow model.
absl::StatusOr<std::string> FetchRunModel(TrackingClient& client, const RunsUri& uri,
                                          const std::string& cache_dir) {
  const bool plain_id =
      !uri.run_id.empty() && uri.run_id.find_first_not_of(
                                 "abcdefghijklmnopqrstuvwxyz"
                                 "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == std::string::npos;
  if (!plain_id) {
    return absl::InvalidArgumentError("run id \"" + uri.run_id + "\" is not a plain run id");
  }
  const std::string dir =
      JoinPath(JoinPath(cache_dir, "runs/" + uri.run_id), uri.path.empty() ? "_root" : uri.path);
  if (PathExists(JoinPath(dir, "MLmodel"))) return dir;
  ASSIGN_OR_RETURN(RunDetails run, client.GetRun(uri.run_id));
  RETURN_IF_ERROR(MakeDirs(dir.substr(0, dir.rfind('/'))));
  ASSIGN_OR_RETURN(TempDir staged, TempDir::CreateBeside(dir, "part"));
  RETURN_IF_ERROR(DownloadRunArtifacts(client, run, uri, staged.path()));
  if (!PathExists(JoinPath(staged.path(), "MLmodel"))) {
    return absl::FailedPreconditionError("runs:/" + uri.run_id + "/" + uri.path +
                                         " holds no MLmodel file: not an MLflow model");
  }
  RETURN_IF_ERROR(staged.MoveTo(dir));
  return dir;
}

// The run and path behind a version's source when it is a run's artifacts: runs:/RUN/PATH,
// or the run's artifact location ".../RUN_ID/artifacts/PATH" (what MLflow's client stores).
std::optional<RunsUri> RunSource(const std::string& source, const std::string& run_id) {
  if (StartsWith(source, "runs:/")) {
    auto uri = ParseRunsUri(source);
    if (uri.ok()) return *uri;
    return std::nullopt;
  }
  const std::string marker = "/" + run_id + "/artifacts/";
  const size_t at = run_id.empty() ? std::string::npos : source.find(marker);
  if (at == std::string::npos) return std::nullopt;
  auto uri = ParseRunsUri("runs:/" + run_id + "/" + source.substr(at + marker.size()));
  if (!uri.ok()) return std::nullopt;
  return *uri;
}

}  // namespace

absl::StatusOr<ModelRef> ParseModelRef(const std::string& uri) {
  ModelRef ref;
  if (StartsWith(uri, "runs:/")) {
    RETURN_IF_ERROR(ParseRunsUri(uri).status());
    ref.runs = uri;
    return ref;
  }
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
  } else if (slash != std::string::npos && slash > 0 && slash + 1 < rest.size() &&
             rest.find('/', slash + 1) == std::string::npos) {
    ref.name = rest.substr(0, slash);
    const std::string tail = rest.substr(slash + 1);
    if (tail.find_first_not_of("0123456789") == std::string::npos) {
      ref.version = tail;
    } else if (ToLower(tail) == "latest") {
      ref.latest = true;
    } else {
      ref.stage = tail;
    }
  } else {
    return absl::InvalidArgumentError(
        "\"" + uri +
        "\": expected models:/NAME@ALIAS, models:/NAME/VERSION, models:/NAME/STAGE or "
        "models:/NAME/latest");
  }
  return ref;
}

bool RefMoves(const ModelRef& ref) {
  return !ref.alias.empty() || !ref.stage.empty() || ref.latest;
}

absl::StatusOr<FetchedModel> FetchModel(const ModelRef& ref, const std::string& tracking_uri,
                                        const std::string& cache_dir) {
  if (!ref.path.empty()) return FetchedModel{"", "", ref.path};
  ASSIGN_OR_RETURN(HttpClient http, ServerClient(tracking_uri));
  if (!ref.runs.empty()) {
    ASSIGN_OR_RETURN(RunsUri uri, ParseRunsUri(ref.runs));
    TrackingClient client(std::move(http));
    ASSIGN_OR_RETURN(std::string dir, FetchRunModel(client, uri, cache_dir));
    return FetchedModel{"", "", dir};
  }
  http.set_unreachable_hint(
      "models:/ references are resolved by the registry: start `ferry server` or point "
      "--tracking-uri / MLFLOW_TRACKING_URI at one.");
  ModelRegistryClient registry(http);
  ASSIGN_OR_RETURN(JsonValue version,
                   !ref.alias.empty()     ? registry.GetVersionByAlias(ref.name, ref.alias)
                   : !ref.version.empty() ? registry.GetVersion(ref.name, ref.version)
                                          : registry.GetLatestVersion(ref.name, ref.stage));
  FetchedModel out{ref.name, FieldText(version, "version"), ""};
  const std::string status = FieldText(version, "status");
  if (status != "READY") {
    return absl::FailedPreconditionError("version " + out.version + " of " + ref.name + " is " +
                                         status + ", not READY");
  }
  const std::string source = FieldText(version, "source");
  if (auto run = RunSource(source, FieldText(version, "run_id"));
      run && !StartsWith(source, kPackagePrefix)) {
    TrackingClient client(std::move(http));
    ASSIGN_OR_RETURN(out.package_path, FetchRunModel(client, *run, cache_dir));
    return out;
  }
  if (!StartsWith(source, kPackagePrefix)) {
    return absl::FailedPreconditionError(
        "version " + out.version + " of " + ref.name + " has source \"" + source +
        "\", neither a stored package nor a run's artifacts; register it with `ferry models "
        "register --package`");
  }
  // The cache directory is named by the package digest, which must be exactly that.
  const std::string hex = source.substr(kPackagePrefix.size());
  if (hex.size() != 64 || hex.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return absl::FailedPreconditionError("version " + out.version + " of " + ref.name +
                                         " has source \"" + source +
                                         "\", not mlflow-artifacts:/packages/sha256-<64 hex>");
  }
  out.package_path = JoinPath(cache_dir, "sha256-" + hex);
  TrackingClient client(std::move(http));
  RETURN_IF_ERROR(FetchLayout(client, source, out.package_path));
  return out;
}

}  // namespace ferry::cli
