#pragma once
// ArtifactStore on an S3 bucket (AWS, or any S3-compatible server at an endpoint URL).
//
// Layout under `prefix` in the bucket, the same as the file store's:
//   blobs/sha256/<aa>/<hex>   one object per blob, named by its SHA-256
//   tmp/<writer id>           multipart uploads of blobs larger than one part, in progress
// A writer hashes while it streams and holds at most one part (8 MiB by default) in memory.
// A blob that fits in one part is PUT under its digest at Commit(); a larger one is uploaded
// in parts under tmp/ (its digest is only known at the end), completed, copied under its
// digest by the server (no byte comes back) unless a blob with that digest exists, and the
// temporary object deleted. An upload cut short by a crash leaves an incomplete
// multipart upload under tmp/: a bucket lifecycle rule (AbortIncompleteMultipartUpload)
// removes those, as with any S3 client.
//
// Readers fetch ranges of one part at a time, so downloads stream too (fd() is -1).
// Thread safety: as ArtifactStore says; the store holds no mutable state but a counter.

#include <atomic>
#include <memory>
#include <string>

#include "net/s3_client.h"
#include "store/artifact_store.h"

namespace ferry::store::s3 {

class S3ArtifactStore : public ArtifactStore {
 public:
  static constexpr int64_t kDefaultPartBytes = int64_t{8} << 20;

  // `prefix`: a key prefix inside the bucket ("" or "a/b", without slashes at the ends).
  // Writes and deletes a probe object under tmp/ so that a wrong bucket, endpoint or
  // credential fails here, with S3's reason, rather than at the first upload.
  // `part_bytes` is at least 5 MiB (S3's smallest part), except in tests.
  static absl::StatusOr<ArtifactStorePtr> Create(net::S3Client client, std::string prefix,
                                                 int64_t part_bytes = kDefaultPartBytes);

  absl::StatusOr<std::unique_ptr<BlobWriter>> NewWriter() override;
  absl::StatusOr<std::unique_ptr<BlobReader>> Open(const std::string& digest) override;
  bool Exists(const std::string& digest) override;
  absl::Status Delete(const std::string& digest) override;
  // Parts go to an S3 multipart upload under tmp/; `id` is "<temporary name>.<S3 upload id>".
  // CompleteParts() completes it, reads it back once to hash it (the client's parts came in
  // any order), copies it under its digest (unless there) and deletes the temporary object.
  absl::StatusOr<std::string> StartParts() override;
  absl::StatusOr<std::string> PutPart(const std::string& id, int number,
                                      std::string_view bytes) override;
  absl::StatusOr<BlobInfo> CompleteParts(const std::string& id,
                                         const std::vector<std::string>& etags) override;
  absl::Status AbortParts(const std::string& id) override;

 private:
  S3ArtifactStore(net::S3Client client, std::string prefix, int64_t part_bytes)
      : client_(std::make_shared<net::S3Client>(std::move(client))),
        prefix_(std::move(prefix)),
        part_bytes_(part_bytes) {}

  std::string BlobKey(const std::string& digest) const;
  // The temporary key and S3 upload id named by a parts `id`; kInvalidArgument otherwise.
  absl::StatusOr<std::pair<std::string, std::string>> PartsKey(const std::string& id) const;

  std::shared_ptr<const net::S3Client> client_;  // shared with writers and readers
  const std::string prefix_;                     // "" or "a/b/"
  const int64_t part_bytes_;
  std::atomic<uint64_t> writers_{0};
};

}  // namespace ferry::store::s3
