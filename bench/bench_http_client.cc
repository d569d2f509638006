#include "bench_http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <optional>

#include "absl/strings/str_cat.h"
#include "common/strings.h"

namespace ferry::bench {
namespace {

constexpr size_t kReadChunk = 256 * 1024;

absl::Status Errno(const char* what) {
  return absl::UnavailableError(absl::StrCat(what, ": ", std::strerror(errno)));
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

absl::StatusOr<Endpoint> ParseUrl(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (!StartsWith(url, kScheme)) return absl::InvalidArgumentError("URL must be http://");
  url.remove_prefix(kScheme.size());
  if (EndsWith(url, "/")) url.remove_suffix(1);
  size_t colon = url.rfind(':');
  std::optional<int64_t> port;
  if (colon != std::string_view::npos) port = ParseInt64(url.substr(colon + 1));
  if (!port || *port <= 0 || *port > 65535) {
    return absl::InvalidArgumentError("URL must be http://HOST:PORT");
  }
  Endpoint e;
  e.port = static_cast<int>(*port);
  e.host = std::string(url.substr(0, colon));
  if (e.host == "localhost") e.host = "127.0.0.1";
  return e;
}

HttpClient::~HttpClient() { Close(); }

void HttpClient::Close() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  in_.clear();
  in_pos_ = 0;
}

absl::Status HttpClient::Connect() {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(endpoint_.port));
  if (inet_pton(AF_INET, endpoint_.host.c_str(), &addr.sin_addr) != 1) {
    return absl::InvalidArgumentError("host must be an IPv4 address: " + endpoint_.host);
  }
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return Errno("socket");
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    absl::Status s = Errno("connect");
    Close();
    return s;
  }
  return absl::OkStatus();
}

absl::Status HttpClient::WriteAll(std::string_view data) {
  while (!data.empty()) {
    ssize_t n = send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Errno("send");
    data.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

absl::Status HttpClient::Fill() {
  if (in_pos_ > 0 && in_pos_ == in_.size()) {
    in_.clear();
    in_pos_ = 0;
  }
  size_t old = in_.size();
  in_.resize(old + kReadChunk);
  ssize_t n;
  do {
    n = recv(fd_, in_.data() + old, kReadChunk, 0);
  } while (n < 0 && errno == EINTR);
  in_.resize(old + static_cast<size_t>(std::max<ssize_t>(n, 0)));
  if (n < 0) return Errno("recv");
  if (n == 0) return absl::UnavailableError("connection closed by server");
  return absl::OkStatus();
}

absl::StatusOr<std::string_view> HttpClient::ReadLine() {
  while (true) {
    size_t eol = in_.find("\r\n", in_pos_);
    if (eol != std::string::npos) {
      std::string_view line(in_.data() + in_pos_, eol - in_pos_);
      in_pos_ = eol + 2;
      return line;
    }
    RETURN_IF_ERROR(Fill());
  }
}

absl::Status HttpClient::ReadHead(HttpResponse* out, int64_t* content_length, bool* chunked,
                                  bool* close_after) {
  ASSIGN_OR_RETURN(std::string_view status_line, ReadLine());
  // "HTTP/1.1 200 OK"
  std::optional<int64_t> status;
  if (status_line.size() >= 12) status = ParseInt64(status_line.substr(9, 3));
  if (!status) return absl::InternalError("bad status line: " + std::string(status_line));
  out->status = static_cast<int>(*status);
  *content_length = -1;
  *chunked = false;
  *close_after = false;
  while (true) {
    ASSIGN_OR_RETURN(std::string_view line, ReadLine());
    if (line.empty()) return absl::OkStatus();
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view name = line.substr(0, colon);
    std::string_view value = Trim(line.substr(colon + 1));
    if (EqualsIgnoreCase(name, "content-length")) {
      std::optional<int64_t> length = ParseInt64(value);
      if (!length || *length < 0) return absl::InternalError("bad Content-Length");
      *content_length = *length;
    } else if (EqualsIgnoreCase(name, "transfer-encoding")) {
      *chunked = ToLower(value).find("chunked") != std::string::npos;
    } else if (EqualsIgnoreCase(name, "connection")) {
      *close_after = EqualsIgnoreCase(value, "close");
    }
  }
}

absl::Status HttpClient::ReadBody(int64_t length, std::string* body) {
  size_t want = static_cast<size_t>(length);
  size_t have = std::min(want, in_.size() - in_pos_);
  body->append(in_, in_pos_, have);
  in_pos_ += have;
  size_t start = body->size();
  body->resize(start + (want - have));
  size_t done = 0;
  while (done < want - have) {
    ssize_t n = recv(fd_, body->data() + start + done, want - have - done, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Errno("recv");
    if (n == 0) return absl::UnavailableError("connection closed mid-body");
    done += static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

absl::Status HttpClient::ReadChunked(std::string* body) {
  while (true) {
    ASSIGN_OR_RETURN(std::string_view size_line, ReadLine());
    size_line = size_line.substr(0, size_line.find(';'));
    uint64_t size = 0;
    auto [ptr, ec] =
        std::from_chars(size_line.data(), size_line.data() + size_line.size(), size, 16);
    if (ec != std::errc()) return absl::InternalError("bad chunk size");
    if (size == 0) break;
    RETURN_IF_ERROR(ReadBody(static_cast<int64_t>(size), body));
    ASSIGN_OR_RETURN(std::string_view crlf, ReadLine());
    if (!crlf.empty()) return absl::InternalError("missing CRLF after chunk");
  }
  while (true) {  // trailers
    ASSIGN_OR_RETURN(std::string_view line, ReadLine());
    if (line.empty()) return absl::OkStatus();
  }
}

absl::Status HttpClient::Send(std::string_view method, std::string_view target,
                              std::string_view body, HttpResponse* out) {
  head_.assign(method).append(" ").append(target);
  absl::StrAppend(&head_, " HTTP/1.1\r\nHost: ", endpoint_.host, ":", endpoint_.port,
                  "\r\nUser-Agent: ferry-bench\r\nAccept: */*\r\n"
                  "Accept-Encoding: identity\r\nConnection: keep-alive\r\n");
  if (!endpoint_.authorization.empty()) {
    absl::StrAppend(&head_, "Authorization: ", endpoint_.authorization, "\r\n");
  }
  if (method != "GET") {
    absl::StrAppend(&head_, "Content-Type: application/json\r\nContent-Length: ", body.size(),
                    "\r\n");
  }
  head_ += "\r\n";
  for (int attempt = 0;; ++attempt) {
    bool reused = fd_ >= 0;
    if (!reused) RETURN_IF_ERROR(Connect());
    absl::Status s = WriteAll(head_);
    if (s.ok()) s = WriteAll(body);
    int64_t length;
    bool chunked, close_after;
    if (s.ok()) s = ReadHead(out, &length, &chunked, &close_after);
    if (!s.ok()) {
      Close();
      if (reused && attempt == 0 && absl::IsUnavailable(s)) continue;  // stale keep-alive
      return s;
    }
    out->body.clear();
    if (chunked) {
      s = ReadChunked(&out->body);
    } else if (length > 0) {
      s = ReadBody(length, &out->body);
    }
    if (!s.ok() || close_after) Close();
    return s;
  }
}

}  // namespace ferry::bench
