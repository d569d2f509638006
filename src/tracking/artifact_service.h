#pragma once
// The artifact proxy: files addressed by path under the artifact root, stored once per
// content in an ArtifactStore, found through an ArtifactIndex. Paths look like
// "<experiment_id>/<run_id>/artifacts/<relpath>". Thread-safe.

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "core/tracking_types.h"
#include "store/artifact_index.h"
#include "store/artifact_store.h"
#include "store/metadata_store.h"

namespace ferry::tracking {

class ArtifactService;

// One file being uploaded. Bytes stream into the blob store as they arrive.
class ArtifactUpload {
 public:
  absl::Status Append(std::string_view data) { return writer_->Append(data); }
  // Commits the blob and points the path at it. Returns the blob's digest and size.
  absl::StatusOr<store::BlobInfo> Commit();
  void Abort() { writer_->Abort(); }

 private:
  friend class ArtifactService;
  ArtifactUpload(ArtifactService& service, std::string path, std::unique_ptr<store::BlobWriter> w)
      : service_(service), path_(std::move(path)), writer_(std::move(w)) {}
  ArtifactService& service_;
  std::string path_;
  std::unique_ptr<store::BlobWriter> writer_;
};

struct ArtifactDownload {
  store::ArtifactEntry entry;
  std::unique_ptr<store::BlobReader> reader;
};

struct RunArtifactListing {
  std::string root_uri;
  std::vector<FileInfo> files;  // run-relative paths
};

class ArtifactService {
 public:
  ArtifactService(store::ArtifactStore& blobs, store::ArtifactIndex& index,
                  store::MetadataStore& meta, Clock& clock)
      : blobs_(blobs), index_(index), meta_(meta), clock_(clock) {}

  // kInvalidArgument "Invalid path" for unsafe paths (.., absolute, NUL, empty).
  absl::StatusOr<std::unique_ptr<ArtifactUpload>> BeginUpload(const std::string& path);
  // kNotFound if no file is stored at `path`.
  absl::StatusOr<ArtifactDownload> Open(const std::string& path);
  // Direct children of directory `dir` with basenames as paths (the proxy's list API).
  // A file path or a missing directory gives an empty list, as MLflow's client expects.
  absl::StatusOr<std::vector<FileInfo>> ListDir(const std::string& dir);
  // Deletes a file or a directory tree. kNotFound if nothing is there.
  absl::Status Delete(const std::string& path);
  // MLflow's multipart upload of the file at `path` (mpu/create, the parts, mpu/complete,
  // mpu/abort), for stores with parts (S3); kUnimplemented with MLflow's message otherwise.
  // Start checks `path` as BeginUpload does and returns the upload id.
  absl::StatusOr<std::string> StartMultipart(const std::string& path);
  absl::StatusOr<std::string> UploadPart(const std::string& upload_id, int part_number,
                                         std::string_view bytes) {
    return blobs_.PutPart(upload_id, part_number, bytes);
  }
  // Joins the parts (`etags` in part order), stores the file under its digest and points
  // `path` at it.
  absl::StatusOr<store::BlobInfo> CompleteMultipart(const std::string& path,
                                                    const std::string& upload_id,
                                                    const std::vector<std::string>& etags);
  absl::Status AbortMultipart(const std::string& upload_id) { return blobs_.AbortParts(upload_id); }
  // The tracking API's artifacts/list: children of `path` inside the run's artifact root.
  absl::StatusOr<RunArtifactListing> ListRunArtifacts(const std::string& run_id,
                                                      const std::string& path);
  // The run's artifact_uri (deleted runs too). kNotFound "Run with id=<id> not found".
  absl::StatusOr<std::string> RunArtifactUri(const std::string& run_id);
  // The file `rel` under `root_uri`, a run's artifact_uri or a model version's download URI:
  // "mlflow-artifacts:[//host]/<path>", or an http(s) URL of this API
  // (".../api/2.0/mlflow-artifacts/artifacts/<path>"), as MLflow resolves proxied roots.
  // kInvalidArgument for another scheme (not kept here) or an unsafe `rel`; kNotFound if no
  // file is stored there.
  absl::StatusOr<ArtifactDownload> OpenUnderRoot(const std::string& root_uri,
                                                 const std::string& rel);
  // The store path of `rel` under `root_uri` (for BeginUpload), with the same rules.
  absl::StatusOr<std::string> ResolveUnderRoot(const std::string& root_uri, const std::string& rel);

 private:
  friend class ArtifactUpload;
  absl::StatusOr<store::BlobInfo> CommitUpload(const std::string& path, store::BlobWriter& writer);
  // Children of `dir` with paths relative to `strip` (basename when strip == dir).
  absl::StatusOr<std::vector<FileInfo>> Children(const std::string& dir, const std::string& strip);

  store::ArtifactStore& blobs_;
  store::ArtifactIndex& index_;
  store::MetadataStore& meta_;
  Clock& clock_;
  // Orders blob commit + index insert against index delete + blob GC, so a blob that a
  // concurrent upload just re-referenced is never collected.
  std::mutex gc_mu_;
};

}  // namespace ferry::tracking
