#pragma once
// A blocking raw-socket HTTP/1.1 client for tests: sends exactly the bytes given and parses
// responses strictly, so tests can exercise pipelining, partial writes, HEAD and
// Expect: 100-continue. Every receive has a 30 s timeout so a broken server fails a test
// instead of hanging it.

#include <cstdint>
#include <string>
#include <string_view>

#include "http/http_types.h"

namespace ferry::http::testing {

struct RawResponse {
  int status = 0;
  HeaderList headers;  // names lowercased
  std::string body;

  // The first header named `name` (lowercase), or "" when absent.
  std::string Header(std::string_view name) const;
  bool HasHeader(std::string_view name) const;
};

class RawHttpClient {
 public:
  // Connects to 127.0.0.1:port, from `source_address` (an IPv4 literal such as "127.0.0.2")
  // when given; connected() tells whether it worked.
  explicit RawHttpClient(int port, const char* source_address = nullptr);
  ~RawHttpClient();
  RawHttpClient(const RawHttpClient&) = delete;
  RawHttpClient& operator=(const RawHttpClient&) = delete;

  bool connected() const { return fd_ >= 0; }
  // Sends all of `data`; false if the connection broke.
  bool Send(std::string_view data);
  // Reads one response. With `head`, no body is read. A response with neither
  // Content-Length nor a bodiless status is read until EOF. status 0 on EOF/error.
  RawResponse Read(bool head = false);
  // True when a response byte (or EOF) can be read within `timeout_ms`.
  bool WaitReadable(int timeout_ms);
  // True once the server has closed the connection (EOF or reset) with no bytes pending.
  bool WaitForClose();
  void ShutdownWrite();
  void Close();
  // Closes with a TCP reset (SO_LINGER 0) instead of a FIN: the server sees ECONNRESET.
  void Reset();

 private:
  bool Fill();  // reads more bytes into buffer_; false on EOF/error/timeout
  int fd_ = -1;
  std::string buffer_;
};

// Sends `request` on a new connection and reads one response.
RawResponse RoundTrip(int port, std::string_view request);

}  // namespace ferry::http::testing
