#pragma once
// An S3 client for the few calls an artifact store needs: put, ranged get, head, delete,
// server-side copy and multipart uploads, signed with AWS Signature Version 4 by libcurl
// (HttpClient::set_aws_sigv4). Works with AWS (virtual-hosted URLs) and with S3-compatible
// servers at an endpoint URL (path-style URLs: MinIO, s3rver, Ceph). Errors carry S3's own
// code and message: kNotFound for NoSuchKey/NoSuchUpload, kPermissionDenied for 403s,
// kUnavailable when the endpoint cannot be reached or answers 5xx.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "net/http_client.h"

namespace ferry::net {

struct S3Config {
  std::string bucket;
  std::string region = "us-east-1";
  // "" for AWS (https://BUCKET.s3.REGION.amazonaws.com); else an http(s) URL reached
  // path-style (ENDPOINT/BUCKET/KEY).
  std::string endpoint_url;
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // sent as x-amz-security-token when set
  std::string ca_file;        // PEM certificates to trust instead of the system store
};

// An S3 configuration from the environment MLflow users already set: AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_DEFAULT_REGION (or AWS_REGION),
// MLFLOW_S3_ENDPOINT_URL (or AWS_ENDPOINT_URL_S3); `endpoint_url` wins over the variables
// when given. kInvalidArgument naming the variable when credentials are missing.
absl::StatusOr<S3Config> S3ConfigFromEnvironment(std::string bucket, std::string endpoint_url);

struct S3Object {
  int64_t size = 0;
  std::string etag;
};

class S3Client {
 public:
  static absl::StatusOr<S3Client> Create(const S3Config& config);

  // `key` is the object's key in the bucket, without a leading slash.
  absl::Status Put(const std::string& key, std::string_view body) const;
  // kNotFound when there is no such object.
  absl::StatusOr<S3Object> Head(const std::string& key) const;
  // Up to `length` bytes from `offset` (fewer at the end of the object).
  absl::StatusOr<std::string> GetRange(const std::string& key, int64_t offset,
                                       int64_t length) const;
  // OK when the object was already gone.
  absl::Status Delete(const std::string& key) const;
  // Copies within the bucket (objects up to 5 GiB; larger ones need CopyLarge).
  absl::Status Copy(const std::string& from_key, const std::string& to_key) const;
  // Copies an object of `size` bytes in parts of at most 5 GiB (UploadPartCopy).
  absl::Status CopyLarge(const std::string& from_key, const std::string& to_key,
                         int64_t size) const;

  // Multipart uploads: parts are numbered from 1; every part but the last is >= 5 MiB.
  absl::StatusOr<std::string> StartMultipart(const std::string& key) const;
  // The part's ETag, needed by CompleteMultipart.
  absl::StatusOr<std::string> UploadPart(const std::string& key, const std::string& upload_id,
                                         int part_number, std::string_view body) const;
  absl::Status CompleteMultipart(const std::string& key, const std::string& upload_id,
                                 const std::vector<std::string>& etags) const;
  absl::Status AbortMultipart(const std::string& key, const std::string& upload_id) const;

  // "s3://bucket/" for messages.
  std::string Describe() const { return "s3://" + bucket_ + "/"; }

 private:
  S3Client(HttpClient http, std::string bucket, std::string key_prefix, std::string session_token)
      : http_(std::move(http)),
        bucket_(std::move(bucket)),
        key_prefix_(std::move(key_prefix)),
        session_token_(std::move(session_token)) {}

  // Sends a signed request for `key` with `query` (already encoded, sorted by name).
  absl::StatusOr<ClientResponse> Send(const std::string& method, const std::string& key,
                                      const std::string& query, std::string_view body,
                                      HeaderList headers = {}) const;
  absl::StatusOr<std::string> UploadPartCopy(const std::string& to_key,
                                             const std::string& upload_id, int part_number,
                                             const std::string& from_key, int64_t first,
                                             int64_t last) const;

  HttpClient http_;
  std::string bucket_;
  std::string key_prefix_;  // "/BUCKET/" path-style, "/" virtual-hosted
  std::string session_token_;
};

// The text of the first <tag>...</tag> element in an S3 XML answer, with the five XML
// entities and numeric character references decoded; nullopt when absent or malformed.
std::optional<std::string> XmlElementText(std::string_view xml, std::string_view tag);

}  // namespace ferry::net
