#include "tracking/artifact_service.h"

#include <cstring>
#include <map>
#include <optional>
#include <string_view>

#include "common/strings.h"
#include "core/validation.h"

namespace ferry::tracking {
namespace {

constexpr char kProxyScheme[] = "mlflow-artifacts:";

absl::StatusOr<std::string> CleanPath(const std::string& path, bool allow_empty) {
  RETURN_IF_ERROR(ValidateArtifactPath(path));
  std::string out;
  for (std::string_view part : SplitString(path, '/')) {
    if (part.empty() || part == ".") continue;
    if (!out.empty()) out += '/';
    out += part;
  }
  if (out.empty() && !allow_empty) return absl::InvalidArgumentError("Invalid path");
  return out;
}

// The store path of a proxied artifact root, or nullopt if `uri` is not one (MLflow's
// _get_proxied_run_artifact_destination_path).
std::optional<std::string> ProxiedRootPath(std::string_view uri) {
  constexpr std::string_view kHttpAnchor = "/api/2.0/mlflow-artifacts/artifacts/";
  std::string_view path;
  if (StartsWith(uri, kProxyScheme)) {
    path = uri.substr(strlen(kProxyScheme));
    if (StartsWith(path, "//")) {  // mlflow-artifacts://host:port/path: skip the authority
      size_t slash = path.find('/', 2);
      path = slash == std::string_view::npos ? std::string_view() : path.substr(slash);
    }
  } else if (StartsWith(uri, "http://") || StartsWith(uri, "https://")) {
    size_t at = uri.find(kHttpAnchor);
    if (at == std::string_view::npos) return std::nullopt;
    path = uri.substr(at + kHttpAnchor.size());
  } else {
    return std::nullopt;
  }
  path = path.substr(0, path.find_first_of("?#"));
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  return std::string(path);
}

// `rel` inside the proxied root `root_uri`, cleaned.
absl::StatusOr<std::string> PathUnderRoot(const std::string& root_uri, const std::string& rel) {
  std::optional<std::string> root = ProxiedRootPath(root_uri);
  if (!root) {
    return absl::InvalidArgumentError(
        "The artifact root is not served by this server's artifact proxy (mlflow-artifacts:)");
  }
  ASSIGN_OR_RETURN(std::string clean_root, CleanPath(*root, true));
  ASSIGN_OR_RETURN(std::string clean_rel, CleanPath(rel, true));
  if (clean_root.empty()) return clean_rel;
  return clean_rel.empty() ? clean_root : clean_root + "/" + clean_rel;
}

}  // namespace

absl::StatusOr<store::BlobInfo> ArtifactUpload::Commit() {
  return service_.CommitUpload(path_, *writer_);
}

absl::StatusOr<std::unique_ptr<ArtifactUpload>> ArtifactService::BeginUpload(
    const std::string& path) {
  ASSIGN_OR_RETURN(std::string clean, CleanPath(path, false));
  ASSIGN_OR_RETURN(auto writer, blobs_.NewWriter());
  return std::unique_ptr<ArtifactUpload>(new ArtifactUpload(*this, clean, std::move(writer)));
}

absl::StatusOr<store::BlobInfo> ArtifactService::CommitUpload(const std::string& path,
                                                              store::BlobWriter& writer) {
  std::lock_guard<std::mutex> lock(gc_mu_);
  ASSIGN_OR_RETURN(store::BlobInfo info, writer.Commit());
  store::ArtifactEntry entry{path, info.digest, info.size, clock_.NowMillis()};
  ASSIGN_OR_RETURN(std::vector<std::string> orphans, index_.PutArtifact(entry));
  for (const auto& digest : orphans) RETURN_IF_ERROR(blobs_.Delete(digest));  // overwritten
  return info;
}

absl::StatusOr<std::string> ArtifactService::StartMultipart(const std::string& path) {
  RETURN_IF_ERROR(CleanPath(path, false).status());
  return blobs_.StartParts();
}

absl::StatusOr<store::BlobInfo> ArtifactService::CompleteMultipart(
    const std::string& path, const std::string& upload_id, const std::vector<std::string>& etags) {
  ASSIGN_OR_RETURN(std::string clean, CleanPath(path, false));
  std::lock_guard<std::mutex> lock(gc_mu_);
  ASSIGN_OR_RETURN(store::BlobInfo info, blobs_.CompleteParts(upload_id, etags));
  store::ArtifactEntry entry{clean, info.digest, info.size, clock_.NowMillis()};
  ASSIGN_OR_RETURN(std::vector<std::string> orphans, index_.PutArtifact(entry));
  for (const auto& digest : orphans) RETURN_IF_ERROR(blobs_.Delete(digest));  // overwritten
  return info;
}

absl::StatusOr<ArtifactDownload> ArtifactService::Open(const std::string& path) {
  ASSIGN_OR_RETURN(std::string clean, CleanPath(path, false));
  auto entry = index_.GetArtifact(clean);
  if (!entry.ok()) {
    if (absl::IsNotFound(entry.status())) {
      return absl::NotFoundError("Artifact '" + clean + "' does not exist");
    }
    return entry.status();
  }
  ArtifactDownload d;
  d.entry = *entry;
  ASSIGN_OR_RETURN(d.reader, blobs_.Open(entry->digest));
  return d;
}

absl::StatusOr<std::vector<FileInfo>> ArtifactService::Children(const std::string& dir,
                                                                const std::string& strip) {
  ASSIGN_OR_RETURN(std::vector<store::ArtifactEntry> entries, index_.ListArtifactsUnder(dir));
  std::string prefix = dir.empty() ? "" : dir + "/";
  std::string strip_prefix = strip.empty() ? "" : strip + "/";
  std::map<std::string, FileInfo> children;  // ordered by name
  for (const auto& e : entries) {
    if (!StartsWith(e.path, prefix)) continue;  // `dir` itself is a file
    std::string_view rest = std::string_view(e.path).substr(prefix.size());
    size_t slash = rest.find('/');
    std::string child = prefix + std::string(rest.substr(0, slash));
    FileInfo info;
    info.path = child.substr(std::min(strip_prefix.size(), child.size()));
    info.is_dir = slash != std::string_view::npos;
    if (!info.is_dir) info.file_size = e.size;
    children.emplace(child, std::move(info));
  }
  std::vector<FileInfo> out;
  out.reserve(children.size());
  for (auto& [_, info] : children) out.push_back(std::move(info));
  return out;
}

absl::StatusOr<std::vector<FileInfo>> ArtifactService::ListDir(const std::string& dir) {
  ASSIGN_OR_RETURN(std::string clean, CleanPath(dir, true));
  return Children(clean, clean);
}

absl::Status ArtifactService::Delete(const std::string& path) {
  ASSIGN_OR_RETURN(std::string clean, CleanPath(path, false));
  std::lock_guard<std::mutex> lock(gc_mu_);
  int64_t removed = 0;
  ASSIGN_OR_RETURN(std::vector<std::string> orphans, index_.DeleteArtifacts(clean, &removed));
  if (removed == 0) return absl::NotFoundError("Artifact '" + clean + "' does not exist");
  for (const auto& digest : orphans) RETURN_IF_ERROR(blobs_.Delete(digest));
  return absl::OkStatus();
}

absl::StatusOr<RunArtifactListing> ArtifactService::ListRunArtifacts(const std::string& run_id,
                                                                     const std::string& path) {
  RETURN_IF_ERROR(ValidateRunId(run_id));
  ASSIGN_OR_RETURN(Run run, meta_.GetRun(run_id));
  RunArtifactListing listing;
  listing.root_uri = run.info.artifact_uri;
  std::optional<std::string> proxied = ProxiedRootPath(listing.root_uri);
  if (!proxied) return listing;  // not proxied here
  ASSIGN_OR_RETURN(std::string root, CleanPath(*proxied, true));
  ASSIGN_OR_RETURN(std::string dir, PathUnderRoot(listing.root_uri, path));
  ASSIGN_OR_RETURN(listing.files, Children(dir, root));
  return listing;
}

absl::StatusOr<std::string> ArtifactService::RunArtifactUri(const std::string& run_id) {
  ASSIGN_OR_RETURN(Run run, meta_.GetRun(run_id));
  return run.info.artifact_uri;
}

absl::StatusOr<ArtifactDownload> ArtifactService::OpenUnderRoot(const std::string& root_uri,
                                                                const std::string& rel) {
  ASSIGN_OR_RETURN(std::string path, PathUnderRoot(root_uri, rel));
  return Open(path);
}

absl::StatusOr<std::string> ArtifactService::ResolveUnderRoot(const std::string& root_uri,
                                                              const std::string& rel) {
  return PathUnderRoot(root_uri, rel);
}

}  // namespace ferry::tracking
