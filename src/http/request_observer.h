#pragma once
// A hook that sees the final status of every response the server sends, whatever kind of
// route answered it (buffered, async, streamed) or whether the server answered itself (401
// from a guard, 413, 408, a malformed request). `ferry server --auth` records its audit log
// through it (http/handlers/auth/audit_handlers.h); without one the server pays nothing.

#include "http/http_types.h"

namespace ferry::http {

class RequestObserver {
 public:
  virtual ~RequestObserver() = default;
  // Called on the loop thread that read `request` once its response is decided, before any
  // of that response is written to the socket: work done here (a database commit) is done
  // before the client can see the answer. `route_index` is the router's route (see
  // Router::route_count()), -1 when none was matched (404, 405, or a request refused before
  // routing). `request` may be incomplete after a parse error. Called from every loop thread
  // at once: implementations are thread-safe. Whatever time it takes delays the loop's other
  // connections.
  virtual void OnResponse(const HttpRequest& request, int route_index, int status) = 0;
};

// The status an observer sees for a routed request whose connection closed before it was
// answered (the client reset it or left in the middle of the body, or the server stopped
// before an async answer came): nginx's "client closed request". Nothing is sent.
inline constexpr int kClientClosedRequest = 499;

}  // namespace ferry::http
