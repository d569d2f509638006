#pragma once
// The OCI distribution API calls push and pull need, over the blocking HTTP client, against
// one repository of one registry (http or https as the reference says; a 401 is answered as
// registry_auth.h describes and the request sent again). Blob uploads are
// always a POST session then PUT <Location>&digest= (distribution 2.8 ignores single-request POST
// uploads), with chunked PATCH uploads (Content-Range) for blobs over the chunk size. Registry
// error bodies ({"errors":[{"code","message"}]}) become Status messages naming the request. Not
// thread-safe; use one client per thread.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/progress.h"
#include "common/status.h"
#include "net/http_client.h"
#include "package/distribution/distribution_reference.h"
#include "package/distribution/registry_auth.h"
#include "package/distribution/registry_credentials.h"

namespace ferry::package {

struct FetchedManifest {
  std::string raw;
  std::string media_type;  // Content-Type
  std::string digest;      // "sha256:" + sha256(raw)
};

struct RegistryOptions {
  // PEM certificates trusted for https instead of the system store ("": the system's).
  std::string ca_file;
  // Sent when the registry asks (see registry_auth.h); empty: anonymous.
  RegistryCredentials credentials;
};

class OciDistributionClient {
 public:
  // A client for `ref`'s registry and repository. kInvalidArgument for a bad address.
  static absl::StatusOr<OciDistributionClient> Create(const DistributionReference& ref,
                                                      RegistryOptions options = {});

  // GET /v2/: OK if the registry speaks the distribution API.
  absl::Status Ping() const;
  // HEAD the blob: true if the repository has it.
  absl::StatusOr<bool> HasBlob(const std::string& digest) const;
  // Uploads `size` bytes of `path` as blob `digest`.
  absl::Status UploadBlob(const std::string& digest, const std::string& path, int64_t size) const;
  // PUT the manifest bytes under `tag_or_digest`; returns the Docker-Content-Digest, which
  // must equal sha256(raw) (kDataLoss otherwise).
  absl::StatusOr<std::string> PutManifest(const std::string& tag_or_digest, const std::string& raw,
                                          const std::string& media_type) const;
  // GET the manifest (Accept: OCI manifest and index). std::nullopt on 404. The digest is
  // computed from the bytes; a Docker-Content-Digest header that disagrees is kDataLoss.
  absl::StatusOr<std::optional<FetchedManifest>> GetManifest(
      const std::string& tag_or_digest) const;
  // GET the blob into `dest_path` (created or truncated), following one redirect. Does not
  // check the digest: the caller hashes the file before trusting it.
  // Stops after `size` bytes (the descriptor's), so a hostile registry cannot fill the disk.
  absl::Status DownloadBlob(const std::string& digest, int64_t size,
                            const std::string& dest_path) const;

  // Reports bytes moved as blobs go up or down, labelled with the blob's digest.
  void set_progress(ProgressFn fn) { progress_ = std::move(fn); }
  // Blobs larger than this go up in PATCH chunks of this size (default 64 MiB).
  void set_chunk_size(int64_t bytes) { chunk_size_ = bytes; }
  const DistributionReference& ref() const { return ref_; }

 private:
  OciDistributionClient(net::HttpClient http, DistributionReference ref,
                        std::shared_ptr<RegistryAuth> auth)
      : http_(std::move(http)), ref_(std::move(ref)), auth_(std::move(auth)) {}
  // Sends `request` with the registry's current authorization (to the registry's own origin
  // only: a redirect to storage elsewhere gets none), answering a 401 challenge once.
  absl::StatusOr<net::ClientResponse> Call(net::ClientRequest request) const;
  absl::StatusOr<net::ClientResponse> Call(const std::string& method, const std::string& target,
                                           const std::string& body = "",
                                           const std::string& content_type = "") const;
  std::string RepoPath(const std::string& suffix) const;
  // Turns a relative Location into an absolute URL.
  std::string Absolute(const std::string& location) const;
  absl::StatusOr<std::string> StartUpload() const;
  absl::StatusOr<std::string> PatchChunks(std::string location, const std::string& digest,
                                          const std::string& path, int64_t size) const;

  net::HttpClient http_;
  DistributionReference ref_;
  std::shared_ptr<RegistryAuth> auth_;  // changes as challenges are answered
  ProgressFn progress_;
  int64_t chunk_size_ = int64_t{64} << 20;
};

// "<METHOD> <target>: HTTP <status> <CODE>: <message>" from a registry error response,
// with the status code mapped (404 kNotFound, 401/403 kPermissionDenied, 400/405
// kInvalidArgument, 5xx kUnavailable, others kUnknown).
absl::Status DistributionError(const std::string& method, const std::string& target,
                               const net::ClientResponse& resp);

}  // namespace ferry::package
