#include "cli/http_client.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/fs.h"
#include "common/strings.h"

namespace ferry::cli {
namespace {

absl::Status WriteAll(int fd, const char* data, size_t len) {
  while (len > 0) {
    ssize_t n = ::send(fd, data, len, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return absl::UnavailableError(std::string("send failed: ") + std::strerror(errno));
    }
    data += n;
    len -= static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

// Parses "HTTP/1.1 200 OK\r\n...\r\n\r\nbody" read until EOF.
absl::StatusOr<ClientResponse> ParseResponse(const std::string& raw) {
  size_t head_end = raw.find("\r\n\r\n");
  if (head_end == std::string::npos || !StartsWith(raw, "HTTP/1.")) {
    return absl::DataLossError("malformed HTTP response from server");
  }
  ClientResponse resp;
  size_t sp = raw.find(' ');
  auto code = ParseInt64(std::string_view(raw).substr(sp + 1, 3));
  if (!code) return absl::DataLossError("malformed HTTP status line");
  resp.status = static_cast<int>(*code);
  std::string head = ToLower(raw.substr(0, head_end));
  std::string body = raw.substr(head_end + 4);
  if (head.find("transfer-encoding: chunked") != std::string::npos) {
    std::string decoded;
    size_t pos = 0;
    while (pos < body.size()) {
      size_t eol = body.find("\r\n", pos);
      if (eol == std::string::npos) break;
      size_t len = std::strtoul(body.substr(pos, eol - pos).c_str(), nullptr, 16);
      if (len == 0) break;
      decoded.append(body, eol + 2, len);
      pos = eol + 2 + len + 2;
    }
    body = std::move(decoded);
  }
  resp.body = std::move(body);
  return resp;
}

}  // namespace

absl::StatusOr<HttpClient> HttpClient::ForUri(const std::string& uri) {
  if (!StartsWith(uri, "http://")) {
    return absl::InvalidArgumentError("Tracking URI '" + uri +
                                      "' is not supported: expected http://HOST:PORT");
  }
  std::string rest = uri.substr(7);
  size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  std::string prefix = slash == std::string::npos ? "" : rest.substr(slash);
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  std::string host = authority;
  std::string port = "80";
  if (size_t colon = authority.rfind(':'); colon != std::string::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) return absl::InvalidArgumentError("Tracking URI '" + uri + "' has no host");
  return HttpClient(uri, host, port, prefix);
}

absl::StatusOr<int> HttpClient::Connect() {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (int rc = ::getaddrinfo(host_.c_str(), port_.c_str(), &hints, &res); rc != 0) {
    return absl::UnavailableError("Cannot resolve " + host_ + ": " + gai_strerror(rc));
  }
  int fd = -1;
  int err = 0;
  for (addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
    fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) continue;
    if (::connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) break;
    err = errno;
    ::close(fd);
    fd = -1;
  }
  ::freeaddrinfo(res);
  if (fd < 0) {
    return absl::UnavailableError("Cannot connect to the tracking server at " + uri_ + " (" +
                                  std::strerror(err) +
                                  "). Start one with `ferry server` or set MLFLOW_TRACKING_URI.");
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return fd;
}

absl::StatusOr<ClientResponse> HttpClient::Exchange(int fd, const std::string& head,
                                                    const std::string& body, int body_fd,
                                                    int64_t body_len) {
  RETURN_IF_ERROR(WriteAll(fd, head.data(), head.size()));
  RETURN_IF_ERROR(WriteAll(fd, body.data(), body.size()));
  if (body_fd >= 0) {
    char buf[1 << 16];
    int64_t left = body_len;
    while (left > 0) {
      ssize_t n = ::read(body_fd, buf, sizeof(buf));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return absl::DataLossError("file changed while uploading");
      RETURN_IF_ERROR(WriteAll(fd, buf, static_cast<size_t>(n)));
      left -= n;
    }
  }
  std::string raw;
  char buf[1 << 16];
  while (true) {
    ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return absl::UnavailableError(std::string("recv failed: ") + std::strerror(errno));
    if (n == 0) break;
    raw.append(buf, static_cast<size_t>(n));
  }
  return ParseResponse(raw);
}

static std::string RequestHead(const std::string& method, const std::string& target,
                               const std::string& host, const std::string& content_type,
                               int64_t len) {
  std::string head =
      method + " " + target + " HTTP/1.1\r\nHost: " + host +
      "\r\nUser-Agent: ferry-cli\r\nConnection: close\r\nContent-Length: " + std::to_string(len) +
      "\r\n";
  if (!content_type.empty()) head += "Content-Type: " + content_type + "\r\n";
  return head + "\r\n";
}

absl::StatusOr<ClientResponse> HttpClient::Send(const std::string& method,
                                                const std::string& target, const std::string& body,
                                                const std::string& content_type) {
  ASSIGN_OR_RETURN(int fd, Connect());
  std::string head =
      RequestHead(method, prefix_ + target, host_, content_type, static_cast<int64_t>(body.size()));
  auto resp = Exchange(fd, head, body, -1, 0);
  ::close(fd);
  return resp;
}

absl::StatusOr<ClientResponse> HttpClient::PutFile(const std::string& target,
                                                   const std::string& file_path) {
  int file = ::open(file_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (file < 0) return ErrnoStatus(errno, "open", file_path);
  struct stat st;
  ::fstat(file, &st);
  auto fd = Connect();
  if (!fd.ok()) {
    ::close(file);
    return fd.status();
  }
  std::string head =
      RequestHead("PUT", prefix_ + target, host_, "application/octet-stream", st.st_size);
  auto resp = Exchange(*fd, head, "", file, st.st_size);
  ::close(*fd);
  ::close(file);
  return resp;
}

}  // namespace ferry::cli
