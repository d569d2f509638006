#pragma once
// A minimal blocking HTTP/1.1 client for the CLI talking to a Ferry (or MLflow) server.
// One connection per request (Connection: close); bodies can be streamed from a file.

#include <string>

#include "common/status.h"

namespace ferry::cli {

struct ClientResponse {
  int status = 0;
  std::string body;
};

class HttpClient {
 public:
  // Accepts "http://host:port" with an optional path prefix. kInvalidArgument otherwise.
  static absl::StatusOr<HttpClient> ForUri(const std::string& uri);

  // Sends a request with an in-memory body. kUnavailable if the server cannot be reached,
  // with the address and a hint in the message.
  absl::StatusOr<ClientResponse> Send(const std::string& method, const std::string& target,
                                      const std::string& body = "",
                                      const std::string& content_type = "application/json");
  // PUTs the contents of `file_path` to `target`, streaming it.
  absl::StatusOr<ClientResponse> PutFile(const std::string& target, const std::string& file_path);

  const std::string& base_uri() const { return uri_; }

 private:
  HttpClient(std::string uri, std::string host, std::string port, std::string prefix)
      : uri_(std::move(uri)),
        host_(std::move(host)),
        port_(std::move(port)),
        prefix_(std::move(prefix)) {}
  absl::StatusOr<int> Connect();
  absl::StatusOr<ClientResponse> Exchange(int fd, const std::string& head, const std::string& body,
                                          int body_fd, int64_t body_len);

  std::string uri_;
  std::string host_;
  std::string port_;
  std::string prefix_;
};

}  // namespace ferry::cli
