#pragma once
// Reads one HTTP/1.1 response from a blocking socket: status line, headers, then a body
// framed by Content-Length, chunked encoding or end of stream, delivered to a sink.

#include <functional>
#include <string_view>

#include "http/client/http_client.h"

namespace ferry::http {

// Receives body bytes; returning an error aborts the read.
using BodyConsumer = std::function<absl::Status(std::string_view)>;
// Chooses where the body goes once the head is known (e.g. a file only for 2xx).
using ConsumerFactory = std::function<absl::StatusOr<BodyConsumer>(const ClientResponse& head)>;

// Fills `resp` (status, headers, body_bytes); HEAD-style empty bodies when `no_body`.
absl::Status ReadResponse(int fd, bool no_body, const ConsumerFactory& consumer,
                          ClientResponse& resp);

}  // namespace ferry::http
