#pragma once
// Maps (method, path) to handlers. Patterns are exact paths, or a prefix ending in '*' whose
// remainder is given to the handler as HttpRequest::path_rest. Exact matches win over
// prefixes; longer prefixes win over shorter ones. Not thread-safe while routes are added;
// safe for concurrent lookups afterwards.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "http/http_types.h"

namespace ferry::http {

class Router {
 public:
  Router();

  void Add(std::string_view method, std::string_view pattern, Handler handler);
  // A route whose body is streamed to a BodySink instead of buffered.
  void AddStream(std::string_view method, std::string_view pattern, StreamHandler handler);
  // A buffered route answered through a Responder, possibly later from another thread.
  void AddAsync(std::string_view method, std::string_view pattern, AsyncHandler handler);
  // Access control, added once every route is in. `policy` gives each route (its method and
  // pattern as added) the check that runs before its handler, or an error when the route has
  // none. Fails naming every route without a check, and changes nothing then (fail closed: a
  // server refuses to start rather than serve an unchecked route). Afterwards Add* abort.
  struct Verdict {
    std::optional<HttpResponse> deny;  // set: answered instead of running the handler
    // Runs with a buffered, synchronous route's response (e.g. to grant the creator of a
    // resource its rights once the handler made it).
    std::function<void(const HttpResponse&)> after;
  };
  using Check = std::function<Verdict(HttpRequest&)>;
  using Policy =
      std::function<absl::StatusOr<Check>(std::string_view method, std::string_view pattern)>;
  absl::Status Guard(const Policy& policy);

  // Handler for paths no route matches (default: 404 {"error_code":"ENDPOINT_NOT_FOUND",...}).
  void SetNotFound(Handler handler);
  // Errors the server answers itself (413 body too large) for paths under `path_prefix` take
  // this protocol's error shape (OIP's {"error"}) instead of MLflow's default.
  using ErrorFormat = std::function<HttpResponse(int status, std::string_view message)>;
  void SetErrorFormat(std::string_view path_prefix, ErrorFormat format);
  // The server's own error for `path`: the longest matching prefix's format, else MLflow's
  // {"error_code": error_code, "message": message}.
  HttpResponse ErrorFor(std::string_view path, int status, std::string_view error_code,
                        std::string_view message) const;

  // A HEAD request with no HEAD route is matched against GET routes (the server then sends
  // the headers only).
  struct Match {
    const Handler* handler = nullptr;               // buffered route
    const StreamHandler* stream_handler = nullptr;  // streaming route
    const AsyncHandler* async_handler = nullptr;    // buffered route answered later
    std::string path_rest;
    int status = 200;      // 404 (no path) or 405 (path exists, method does not)
    int route_index = -1;  // the matched route (see route_count()), -1 for 404 and 405
  };
  Match Find(std::string_view method, std::string_view path) const;
  const Handler& not_found() const { return not_found_; }

  // The routes in the order added, for per-route metrics: route i's method and pattern as
  // given to Add* (a prefix pattern keeps its '*').
  size_t route_count() const { return routes_.size(); }
  const std::string& route_method(size_t i) const { return routes_[i].method; }
  const std::string& route_pattern(size_t i) const { return routes_[i].label; }

 private:
  struct Route {
    std::string method;
    std::string pattern;  // without the trailing '*'
    std::string label;    // as given
    bool prefix = false;
    Handler handler;
    StreamHandler stream_handler;
    AsyncHandler async_handler;
  };
  void AddRoute(std::string_view method, std::string_view pattern, Route route);
  static void Wrap(Route& route, Check check);
  void Reindex();
  // Best route for (method, path), or nullptr. Sets *path_matched when any route's pattern
  // matches `path`, whatever its method.
  const Route* FindRoute(std::string_view method, std::string_view path, bool* path_matched) const;

  std::vector<Route> routes_;
  // Exact pattern -> indexes into routes_, in insertion order.
  std::map<std::string, std::vector<size_t>, std::less<>> exact_;
  // Indexes of prefix routes, longest pattern first.
  std::vector<size_t> prefixes_;
  Handler not_found_;
  bool guarded_ = false;
  std::vector<std::pair<std::string, ErrorFormat>> error_formats_;
};

}  // namespace ferry::http
