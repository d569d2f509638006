#pragma once
// Requests, responses and streaming body interfaces of Ferry's HTTP/1.1 server.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "common/status.h"

namespace ferry::http {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // raw request target, e.g. "/a%20b?x=1"
  std::string path;    // percent-decoded path without the query
  std::string query;   // raw query string without '?'
  HeaderList headers;  // names lowercased
  std::string body;    // whole body (non-streaming routes only)
  std::string request_id;
  // Path parameters captured by the router: the text matched by a trailing '*'.
  std::string path_rest;

  // Returns the first header named `name` (lowercase), or nullptr.
  const std::string* Header(std::string_view name) const;
};

// A response body produced piecewise (large downloads). If fd() >= 0 the server may use
// sendfile() from the current offset instead of Read().
class BodySource {
 public:
  virtual ~BodySource() = default;
  virtual int64_t size() const = 0;
  virtual int fd() const = 0;
  // Reads up to `n` bytes; 0 means end of body.
  virtual absl::StatusOr<size_t> Read(char* buf, size_t n) = 0;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  HeaderList headers;  // extra headers
  std::string body;
  std::unique_ptr<BodySource> source;  // if set, used instead of `body`

  static HttpResponse Json(int status, std::string body);
  static HttpResponse Text(int status, std::string body, std::string content_type = "text/plain");
};

// Receives a request body piece by piece (large uploads). The server calls Write() for each
// chunk in order, then Finish() once the body is complete, or Abort() if the client goes away
// or the body is malformed. A non-OK Write() stops the upload; the server then calls
// Abort() and answers with ErrorResponse(status).
class BodySink {
 public:
  virtual ~BodySink() = default;
  virtual absl::Status Write(std::string_view chunk) = 0;
  virtual HttpResponse Finish() = 0;
  virtual void Abort() = 0;
};

using Handler = std::function<HttpResponse(HttpRequest&)>;
// Called once the headers are in: returns a sink for the body, or a response to send at once
// (the body is then read and discarded, or the connection closed if it is large).
using StreamHandler =
    std::function<std::variant<std::unique_ptr<BodySink>, HttpResponse>(HttpRequest&)>;

}  // namespace ferry::http
