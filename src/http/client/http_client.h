#pragma once
// A small blocking HTTP/1.1 client: the CLI talking to a Ferry (or MLflow) server, webhook
// deliveries, and OCI registry push/pull. One connection per request (Connection: close).
// Request bodies can be streamed from a file range and response bodies to a file, so
// gigabyte blobs never sit in memory. http:// only.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"

namespace ferry::http {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct ClientRequest {
  std::string method = "GET";
  // A path (appended to the client's base prefix) or an absolute http:// URL, which is
  // used as is (registries answer uploads with absolute Location URLs).
  std::string target;
  HeaderList headers;  // Host, Content-Length and Connection are added
  std::string body;
  // When set, the body is `body_file_length` bytes (-1: to the end) of this file from
  // `body_file_offset`, streamed; `body` is ignored.
  std::string body_file;
  int64_t body_file_offset = 0;
  int64_t body_file_length = -1;
  // When set and the status is 2xx, the response body is streamed into this file
  // (created or truncated) instead of ClientResponse::body.
  std::string response_file;
  // A response body longer than this (in memory or to the file) fails the request with
  // kResourceExhausted instead of growing without bound; -1: no limit.
  int64_t max_response_bytes = -1;
};

struct ClientResponse {
  int status = 0;
  HeaderList headers;  // names lower-cased
  std::string body;
  int64_t body_bytes = 0;  // also counted when streamed to a file

  // The first header called `name` (lower-case), or "" when absent.
  std::string Header(const std::string& name) const;
};

class HttpClient {
 public:
  // Accepts "http://host:port" with an optional path prefix. kInvalidArgument otherwise.
  static absl::StatusOr<HttpClient> ForUri(const std::string& uri);

  // kUnavailable if the server cannot be reached (the message names the address),
  // kDeadlineExceeded when a read or write stalls longer than the timeout.
  absl::StatusOr<ClientResponse> Do(const ClientRequest& request) const;

  // Shorthands for the common cases.
  absl::StatusOr<ClientResponse> Send(const std::string& method, const std::string& target,
                                      const std::string& body = "",
                                      const std::string& content_type = "application/json") const;
  absl::StatusOr<ClientResponse> PutFile(const std::string& target,
                                         const std::string& file_path) const;

  const std::string& base_uri() const { return uri_; }
  // Per-syscall stall limit (default 60 s).
  void set_timeout_ms(int ms) { timeout_ms_ = ms; }
  // Appended to "cannot connect" errors, e.g. "Start one with `ferry server`."
  void set_unreachable_hint(std::string hint) { hint_ = std::move(hint); }

 private:
  HttpClient(std::string uri, std::string host, std::string port, std::string prefix)
      : uri_(std::move(uri)),
        host_(std::move(host)),
        port_(std::move(port)),
        prefix_(std::move(prefix)) {}

  std::string uri_;
  std::string host_;
  std::string port_;
  std::string prefix_;
  int timeout_ms_ = 60000;
  std::string hint_;
};

}  // namespace ferry::http
