#pragma once
// Serialisation of response heads and the server's own error responses. Internal to http/.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "http/http_types.h"

namespace ferry::http {

// "HTTP/1.1 200 OK\r\n" for `status` (pre-rendered for 100..599; anything else is sent as
// 500).
std::string_view StatusLine(int status);

// False for statuses that never carry a body: 1xx, 204 and 304.
bool StatusAllowsBody(int status);

struct ResponseHead {
  int64_t content_length = 0;  // < 0: unknown, the body ends when the connection closes
  std::string_view request_id;
  bool close = false;              // send "Connection: close"
  bool keep_alive_http10 = false;  // send "Connection: keep-alive" (HTTP/1.0 client)
};

// Appends the status line and headers of `response`, then the blank line, to *out. Extra
// headers with invalid characters, and those the server owns (Content-Length,
// Transfer-Encoding, Connection), are dropped.
void AppendResponseHead(const HttpResponse& response, const ResponseHead& head, std::string* out);

// {"error_code": code, "message": message} with `status`.
HttpResponse JsonErrorResponse(int status, std::string_view error_code, std::string_view message);

// A short text/plain response for protocol errors (400, 413, 414, 431, 501, 505).
HttpResponse ProtocolErrorResponse(int status, std::string_view reason);

// The answer to a failed BodySink::Write(): the status from HttpStatusFor() and the error_code
// from MlflowErrorCode() (INVALID_PARAMETER_VALUE for a refused upload, RESOURCE_EXHAUSTED for
// a full disk).
HttpResponse SinkErrorResponse(const absl::Status& status);

}  // namespace ferry::http
