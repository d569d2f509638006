#pragma once
// ArtifactStore on a local directory.
//
// Layout under `root`:
//   blobs/sha256/<aa>/<hex>          one immutable file (mode 0444) per blob; <hex> is the
//                                    64-char lowercase sha256 and <aa> its first two chars
//   tmp/<pid>-<instance>-<rand>.tmp  writes in progress
// A writer streams into a temp file while hashing, with at most 1 MiB buffered. Commit()
// fsyncs the file, renames it to its digest path (or drops it if that blob already exists)
// and fsyncs the shard directory, so a committed blob survives a crash and a crash never
// leaves a partial file under blobs/.
//
// Thread safety: every method may be called concurrently, and several processes may share a
// root. The store keeps no mutable state; each step is one atomic file-system operation, so
// concurrent writers of the same content all succeed and leave one blob. Writers and readers
// hold no reference to the store and may outlive it.

#include <memory>
#include <string>
#include <string_view>

#include "store/artifact_store.h"

namespace ferry::store::cas {

class FileArtifactStore : public ArtifactStore {
 public:
  // Creates `root`, blobs/sha256 and tmp if needed, checks that a file can be created in tmp,
  // and removes temp files left by crashed writers: those whose <pid> is no longer running,
  // or equals this process's pid with another <instance> (a restarted container keeps its
  // pid). Errors: kInvalidArgument for an empty root; kPermissionDenied naming the path if
  // the root is not writable; kFailedPrecondition if a path component is not a directory.
  static absl::StatusOr<ArtifactStorePtr> Create(const std::string& root);

  // ArtifactStore
  // Opens a temp file under tmp/. Errors from the file system (e.g. kPermissionDenied).
  absl::StatusOr<std::unique_ptr<BlobWriter>> NewWriter() override;
  // kInvalidArgument unless `digest` is 64 lowercase hex chars; kNotFound if absent.
  absl::StatusOr<std::unique_ptr<BlobReader>> Open(const std::string& digest) override;
  // False for an invalid digest.
  bool Exists(const std::string& digest) override;
  // kInvalidArgument for an invalid digest; OK if the blob was already gone. Deleting a blob
  // while another writer commits the same content may leave it deleted: callers coordinate
  // garbage collection with their references (store/artifact_index.h).
  absl::Status Delete(const std::string& digest) override;

 private:
  explicit FileArtifactStore(std::string root);

  const std::string root_;
  const std::string blobs_dir_;  // <root>/blobs/sha256
  const std::string tmp_dir_;    // <root>/tmp
};

}  // namespace ferry::store::cas
