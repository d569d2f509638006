#pragma once
// Ferry's HTTP/1.1 server: one epoll event loop per thread, each with its own SO_REUSEPORT
// listening socket, TCP_NODELAY, keep-alive and pipelining. Handlers run inline on the loop
// thread that read the request. Request bodies are buffered up to
// Options::max_body_bytes; streaming routes receive bodies of any size piecewise.
// Responses with a BodySource are sent piecewise (sendfile when the source has an fd), so
// memory per connection stays bounded.
//
// Behaviour handlers can rely on:
// - Every response carries Content-Length (a BodySource with size() < 0 is sent until the
//   connection closes instead), "Server: ferry" and X-Request-Id. The id is the client's
//   X-Request-Id when that is 1-128 printable characters, else a generated one; it is also in
//   HttpRequest::request_id. Handlers must not set Content-Length, Transfer-Encoding or
//   Connection themselves (they are dropped), and header values with CR/LF are dropped.
// - HEAD is routed to GET handlers when no HEAD route exists; the body is not sent.
// - A buffered body over max_body_bytes gets 413
//   {"error_code":"INVALID_PARAMETER_VALUE","message":"Request body exceeds N bytes"}.
// - Malformed requests get 400/414/431/501/505 text/plain and the connection is closed.
// - A handler that throws gets 500 {"error_code":"INTERNAL_ERROR",...}; the server goes on.
// - "Expect: 100-continue" is answered with 100 Continue only once a route accepts the body.
// - An HTTP/1.1 request without Host gets 400; one whose Host the allowlist rejects gets 403
//   {"error_code":"PERMISSION_DENIED",...}. HTTP/1.0 requests may omit Host.
// - Paths are percent-decoded but not normalised ("..", "//" stay).
// - Handlers run on loop threads: a slow handler delays the other connections of its loop.
//   An async route (Router::AddAsync) answers through a Responder instead, possibly later
//   from another thread; its connection takes no further request until then, and Shutdown
//   waits for the response up to the drain deadline (see Responder in http_types.h).
//
// Creating a server sets SIGPIPE to SIG_IGN if it still has the default disposition.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"
#include "http/admission/host_allowlist.h"
#include "http/request_metrics.h"
#include "http/request_observer.h"
#include "http/router.h"

namespace ferry::http {

class TlsContext;

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 5000;  // 0 picks a free port
  int threads = 0;  // 0: one per core, at least 2
  int64_t max_body_bytes = 64 << 20;
  int idle_timeout_ms = 60000;  // keep-alive and stalled connections; <= 0: never
  // Slow clients (each limit <= 0: off). A request's headers must be complete within
  // header_timeout_ms of its first byte (of the accept, for a connection's first request),
  // however steadily they trickle in; then 408 and close (a connection that sent nothing is
  // closed silently). A body must arrive at min_body_rate bytes/s or more, averaged over each
  // body_rate_window_ms (the first window is the grace period); else 408 and close.
  int header_timeout_ms = 10000;
  int64_t min_body_rate = 1024;
  int body_rate_window_ms = 10000;
  // Connection caps (<= 0: none), overall and per client IP address. A connection over a cap
  // is answered 503 with Connection: close at accept, without reading its request, and
  // closed.
  int max_connections = 10000;
  int max_connections_per_client = 256;
  // Host header check against DNS rebinding (see HostAllowlist); default: any Host. HTTP/1.1
  // requests without Host always get 400.
  HostAllowlist allowed_hosts;
  // Log one line per request (method, path, status, duration, request id).
  bool access_log = true;
  // Per-route request counts and latencies are recorded here when set (must outlive the
  // server).
  RequestMetrics* metrics = nullptr;
  // Sees every response before it is written (must outlive the server; null: none).
  RequestObserver* observer = nullptr;
  // Serve HTTPS with this certificate (http/tls/tls_context.h); null: plain HTTP. The
  // handshake counts against header_timeout_ms. A plain HTTP request to the port is answered
  // 400 in plain text and the connection closed.
  std::shared_ptr<const TlsContext> tls;
};

class HttpServer {
 public:
  // Binds and listens. kUnavailable with "address already in use" style messages on failure.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Create(const ServerOptions& options,
                                                            const Router& router);
  ~HttpServer();

  // The bound port (useful with port 0).
  int port() const;
  // Appends the connection gauges and refusal counters (Prometheus text).
  void RenderConnectionMetrics(std::string* out) const;
  // Starts the loop threads and returns.
  void Start();
  // Stops accepting, lets in-flight requests finish (up to `drain_ms`), closes connections,
  // joins the threads. Safe to call from any thread (e.g. one waiting in sigwait()); calls
  // after the first return at once. Called from a handler, it only starts the shutdown and
  // returns; the destructor or a later call from another thread joins the loops.
  void Shutdown(int drain_ms = 10000);

 private:
  class Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ferry::http
