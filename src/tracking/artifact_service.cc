#include "tracking/artifact_service.h"

#include <cstring>
#include <map>

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
  if (!StartsWith(listing.root_uri, kProxyScheme)) return listing;  // not proxied here
  std::string root = listing.root_uri.substr(strlen(kProxyScheme));
  while (!root.empty() && root.front() == '/') root.erase(0, 1);
  ASSIGN_OR_RETURN(root, CleanPath(root, true));
  ASSIGN_OR_RETURN(std::string rel, CleanPath(path, true));
  std::string dir = rel.empty() ? root : root + "/" + rel;
  ASSIGN_OR_RETURN(listing.files, Children(dir, root));
  return listing;
}

}  // namespace ferry::tracking
