#pragma once
// A blocking HTTP client over libcurl: the CLI talking to a Ferry (or MLflow) server, webhook
// deliveries, and OCI registry push/pull. http:// and https:// (certificates verified against
// the system store), proxies from the environment (http_proxy, https_proxy, no_proxy), and
// redirects only when asked for. Request bodies can be streamed from a file range and
// response bodies to a file, so gigabyte blobs never sit in memory.

#include <sys/socket.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"

namespace ferry::net {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct ClientRequest {
  std::string method = "GET";
  // A path (appended to the client's base prefix) or an absolute http(s):// URL, which is
  // used as is (registries answer uploads with absolute Location URLs).
  std::string target;
  HeaderList headers;  // Host and Content-Length are added
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
  // When set and it turns true, the request stops within about a second with kCancelled.
  const std::atomic<bool>* cancel = nullptr;
};

struct ClientResponse {
  int status = 0;
  HeaderList headers;  // of the final response, names lower-cased
  std::string body;
  int64_t body_bytes = 0;  // also counted when streamed to a file

  // The first header called `name` (lower-case), or "" when absent.
  std::string Header(const std::string& name) const;
};

// Vets each address the client is about to connect to (after DNS resolution, on every
// connection including redirect hops). `host` is the host name of the request's URL. A
// non-OK status refuses the connection; the request then fails with kPermissionDenied and
// that status's message.
using AddressFilter = std::function<absl::Status(const std::string& host, const sockaddr* addr)>;

class HttpClient {
 public:
  // Accepts "http(s)://host[:port]" with an optional path prefix. kInvalidArgument otherwise.
  static absl::StatusOr<HttpClient> ForUri(const std::string& uri);

  // kUnavailable if the server cannot be reached (the message names the address and ends
  // with the unreachable hint), kDeadlineExceeded when connecting or a stalled transfer
  // takes longer than the timeouts, kDataLoss for a truncated or malformed response.
  absl::StatusOr<ClientResponse> Do(const ClientRequest& request) const;

  // Shorthands for the common cases.
  absl::StatusOr<ClientResponse> Send(const std::string& method, const std::string& target,
                                      const std::string& body = "",
                                      const std::string& content_type = "application/json") const;
  absl::StatusOr<ClientResponse> PutFile(const std::string& target,
                                         const std::string& file_path) const;

  const std::string& base_uri() const { return uri_; }
  const std::string& host() const { return host_; }

  // Connecting (DNS, TCP and TLS handshakes) and stalls (no byte moving either way) longer
  // than this fail with kDeadlineExceeded (default 60 s; stalls are measured in whole
  // seconds, rounded up).
  void set_timeout_ms(int ms) { timeout_ms_ = ms; }
  // The whole exchange must finish within this (default 0: no limit).
  void set_total_timeout_ms(int ms) { total_timeout_ms_ = ms; }
  // Follows up to `max` redirects (http and https only); 0, the default, returns 3xx answers
  // as they are.
  void set_max_redirects(int max) { max_redirects_ = max; }
  // Trusts these PEM certificates instead of the system store (tests, private registries).
  void set_ca_file(std::string path) { ca_file_ = std::move(path); }
  // Trusts exactly the certificate in this PEM file (its chain need not verify) under any
  // name: for a server calling itself on a loopback address with its own --tls-cert, whose
  // names need not include that address.
  void set_pinned_certificate(std::string path) {
    ca_file_ = std::move(path);
    pinned_ = true;
  }
  // Appended to "cannot connect" errors, e.g. "Start one with `ferry server`."
  void set_unreachable_hint(std::string hint) { hint_ = std::move(hint); }
  // Sent as the Authorization header of every request to this client's own origin (not to
  // absolute URLs elsewhere), unless the request sets one: the CLI's credentials for a
  // `ferry server --auth`.
  void set_authorization(std::string value) { authorization_ = std::move(value); }
  // Sent with every request to this client's own origin, like the Authorization above: e.g.
  // the CLI's X-MLFLOW-WORKSPACE from MLFLOW_WORKSPACE. Replaces a value set before.
  void set_origin_header(std::string name, std::string value) {
    for (auto& [k, v] : origin_headers_) {
      if (k == name) {
        v = std::move(value);
        return;
      }
    }
    origin_headers_.emplace_back(std::move(name), std::move(value));
  }
  // Signs every request to this client's own origin with AWS Signature Version 4, by
  // libcurl's signer. `scope` is "REGION:SERVICE", e.g. "us-east-1:s3". Every header the
  // request sets is signed; S3 also wants the request to carry x-amz-content-sha256.
  void set_aws_sigv4(std::string scope, std::string key_id, std::string secret) {
    sigv4_scope_ = "aws:amz:" + std::move(scope);
    sigv4_key_id_ = std::move(key_id);
    sigv4_secret_ = std::move(secret);
  }
  // See AddressFilter. While a filter is set, no proxy is used: the filter sees the
  // receiver's own address.
  void set_address_filter(AddressFilter filter) { filter_ = std::move(filter); }

 private:
  HttpClient(std::string uri, std::string origin, std::string host, std::string prefix)
      : uri_(std::move(uri)),
        origin_(std::move(origin)),
        host_(std::move(host)),
        prefix_(std::move(prefix)) {}

  std::string uri_;
  HeaderList origin_headers_;
  std::string origin_;  // scheme://authority
  std::string host_;
  std::string prefix_;
  int timeout_ms_ = 60000;
  int total_timeout_ms_ = 0;
  int max_redirects_ = 0;
  std::string ca_file_;
  bool pinned_ = false;
  std::string hint_;
  std::string authorization_;
  std::string sigv4_scope_;
  std::string sigv4_key_id_;
  std::string sigv4_secret_;
  AddressFilter filter_;
};

}  // namespace ferry::net
