#pragma once
// A tiny blocking HTTP/1.1 client for the load generator: one keep-alive TCP connection
// (TCP_NODELAY) per object, requests sent one at a time, Content-Length and chunked response
// bodies. No TLS, no redirects, no proxies: it only talks to a local ferry server.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace ferry::bench {

struct Endpoint {
  std::string host;  // numeric IPv4 address or "localhost"
  int port = 0;
  std::string authorization;  // sent as the Authorization header when set
};

// Parses "http://HOST:PORT" (a trailing slash is allowed, a path is not).
absl::StatusOr<Endpoint> ParseUrl(std::string_view url);

struct HttpResponse {
  int status = 0;
  std::string body;
};

class HttpClient {
 public:
  explicit HttpClient(Endpoint endpoint) : endpoint_(std::move(endpoint)) {}
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends one request and reads the whole response into `out` (its body buffer is reused).
  // Connects on first use and reconnects once if a kept-alive connection was closed.
  absl::Status Send(std::string_view method, std::string_view target, std::string_view body,
                    HttpResponse* out);

  absl::Status Post(std::string_view target, std::string_view json, HttpResponse* out) {
    return Send("POST", target, json, out);
  }
  absl::Status Get(std::string_view target, HttpResponse* out) {
    return Send("GET", target, "", out);
  }

 private:
  absl::Status Connect();
  void Close();
  absl::Status WriteAll(std::string_view data);
  // Reads more bytes into in_; kUnavailable when the peer closed the connection.
  absl::Status Fill();
  absl::Status ReadHead(HttpResponse* out, int64_t* content_length, bool* chunked,
                        bool* close_after);
  absl::Status ReadBody(int64_t length, std::string* body);
  absl::Status ReadChunked(std::string* body);
  absl::StatusOr<std::string_view> ReadLine();

  Endpoint endpoint_;
  int fd_ = -1;
  std::string head_;  // request head scratch buffer
  std::string in_;    // bytes received but not consumed yet, from in_pos_
  size_t in_pos_ = 0;
};

}  // namespace ferry::bench
