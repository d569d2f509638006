#pragma once
// Ferry's HTTP/1.1 server: one epoll event loop per thread, each with its own SO_REUSEPORT
// listening socket, TCP_NODELAY, keep-alive and pipelining. Handlers run inline on the loop
// thread that read the request. Request bodies are buffered up to
// Options::max_body_bytes; streaming routes receive bodies of any size piecewise.
// Responses with a BodySource are sent piecewise (sendfile when the source has an fd), so
// memory per connection stays bounded.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"
#include "http/router.h"

namespace ferry::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 5000;  // 0 picks a free port
  int threads = 0;  // 0: one per core, at least 2
  int64_t max_body_bytes = 64 << 20;
  int idle_timeout_ms = 60000;
  // Log one line per request (method, path, status, duration, request id).
  bool access_log = true;
};

class HttpServer {
 public:
  // Binds and listens. kUnavailable with "address already in use" style messages on failure.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Create(const ServerOptions& options,
                                                            const Router& router);
  ~HttpServer();

  // The bound port (useful with port 0).
  int port() const;
  // Starts the loop threads and returns.
  void Start();
  // Stops accepting, lets in-flight requests finish (up to `drain_ms`), closes connections,
  // joins the threads. Safe to call from any thread once.
  void Shutdown(int drain_ms = 10000);

 private:
  class Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ferry::http
