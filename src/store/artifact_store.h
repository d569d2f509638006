#pragma once
// Content-addressed blob storage (SHA-256). file:// now, s3:// later. Blobs are written
// through a BlobWriter that hashes while it streams, so no blob is ever held whole in memory.
// Implementations are safe for concurrent use; a BlobWriter/BlobReader is used by one
// thread at a time.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ferry::store {

struct BlobInfo {
  std::string digest;  // lowercase hex sha256
  int64_t size = 0;
};

class BlobWriter {
 public:
  virtual ~BlobWriter() = default;  // Aborts if neither Commit nor Abort was called.
  virtual absl::Status Append(std::string_view data) = 0;
  // Makes the blob durable and visible under its digest. Storing bytes that already exist
  // is a no-op that still succeeds.
  virtual absl::StatusOr<BlobInfo> Commit() = 0;
  virtual void Abort() = 0;
};

class BlobReader {
 public:
  virtual ~BlobReader() = default;
  virtual int64_t size() const = 0;
  // A readable file descriptor positioned at 0 for zero-copy sends, or -1. Owned by the reader.
  virtual int fd() const = 0;
  // Reads up to `n` bytes; returns 0 at the end.
  virtual absl::StatusOr<size_t> Read(char* buf, size_t n) = 0;
};

class ArtifactStore {
 public:
  virtual ~ArtifactStore() = default;
  virtual absl::StatusOr<std::unique_ptr<BlobWriter>> NewWriter() = 0;
  // kNotFound if no blob has `digest`.
  virtual absl::StatusOr<std::unique_ptr<BlobReader>> Open(const std::string& digest) = 0;
  virtual bool Exists(const std::string& digest) = 0;
  // Removes a blob; OK if it was already gone.
  virtual absl::Status Delete(const std::string& digest) = 0;

  // A blob uploaded as numbered parts that may arrive in any order and at any replica
  // (MLflow's multipart upload through the proxy). The returned `id` carries all the state,
  // so any server sharing the store can take the next call. A store without parts (the file
  // store) answers kUnimplemented with MLflow's message (kNoMultipartUpload).
  virtual absl::StatusOr<std::string> StartParts() { return NoParts(); }
  // Stores part `number` (1..10000); returns its ETag.
  virtual absl::StatusOr<std::string> PutPart(const std::string& id, int number,
                                              std::string_view bytes) {
    (void)id, (void)number, (void)bytes;
    return NoParts();
  }
  // Joins parts 1..n (`etags` in part order), hashes the result and keeps it under its
  // digest, as a BlobWriter's Commit() would.
  virtual absl::StatusOr<BlobInfo> CompleteParts(const std::string& id,
                                                 const std::vector<std::string>& etags) {
    (void)id, (void)etags;
    return NoParts();
  }
  virtual absl::Status AbortParts(const std::string& id) {
    (void)id;
    return NoParts();
  }

  static constexpr char kNoMultipartUpload[] =
      "Multipart upload is not supported for the current artifact repository";

 private:
  static absl::Status NoParts() { return absl::UnimplementedError(kNoMultipartUpload); }
};

using ArtifactStorePtr = std::unique_ptr<ArtifactStore>;

// True if `digest` is exactly 64 lowercase hex characters: every backend's key check.
inline bool IsValidBlobDigest(std::string_view digest) {
  if (digest.size() != 64) return false;
  for (char c : digest) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// OK for a valid digest, else kInvalidArgument showing (at most 80 characters of) it.
inline absl::Status CheckBlobDigest(std::string_view digest) {
  if (IsValidBlobDigest(digest)) return absl::OkStatus();
  constexpr size_t kShown = 80;
  std::string shown(digest.substr(0, kShown));
  if (digest.size() > kShown) shown += "...";
  return absl::InvalidArgumentError("invalid blob digest '" + shown +
                                    "': expected 64 lowercase hex characters");
}

}  // namespace ferry::store
