#include "http/client/http_client.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/fs.h"
#include "common/strings.h"
#include "http/client/response_reader.h"

namespace ferry::http {
namespace {

// Closes a descriptor on scope exit.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

struct Endpoint {
  std::string host;
  std::string port;
  std::string path;  // what follows the authority, "" when none
};

absl::StatusOr<Endpoint> SplitHttpUrl(const std::string& uri) {
  if (!StartsWith(uri, "http://")) {
    return absl::InvalidArgumentError("URL '" + uri +
                                      "' is not supported: expected http://HOST:PORT");
  }
  std::string rest = uri.substr(7);
  size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  Endpoint ep;
  ep.path = slash == std::string::npos ? "" : rest.substr(slash);
  ep.host = authority;
  ep.port = "80";
  if (size_t colon = authority.rfind(':'); colon != std::string::npos) {
    ep.host = authority.substr(0, colon);
    ep.port = authority.substr(colon + 1);
  }
  if (ep.host.empty()) return absl::InvalidArgumentError("URL '" + uri + "' has no host");
  return ep;
}

absl::Status WriteAll(int fd, const char* data, size_t len) {
  while (len > 0) {
    ssize_t n = ::send(fd, data, len, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        return absl::DeadlineExceededError("timed out sending the HTTP request");
      }
      return absl::UnavailableError(std::string("send failed: ") + std::strerror(errno));
    }
    data += n;
    len -= static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

absl::StatusOr<int> Connect(const Endpoint& ep, int timeout_ms, const std::string& hint) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (int rc = ::getaddrinfo(ep.host.c_str(), ep.port.c_str(), &hints, &res); rc != 0) {
    return absl::UnavailableError("Cannot resolve " + ep.host + ": " + gai_strerror(rc));
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
    std::string msg =
        "Cannot connect to http://" + ep.host + ":" + ep.port + " (" + std::strerror(err) + ").";
    return absl::UnavailableError(hint.empty() ? msg : msg + " " + hint);
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  return fd;
}

absl::Status SendFileRange(int sock, int file, int64_t offset, int64_t length) {
  if (::lseek(file, offset, SEEK_SET) < 0) return absl::InternalError("cannot seek in upload file");
  char buf[1 << 16];
  while (length > 0) {
    size_t want =
        length < static_cast<int64_t>(sizeof(buf)) ? static_cast<size_t>(length) : sizeof(buf);
    ssize_t n = ::read(file, buf, want);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return absl::DataLossError("file changed while uploading");
    RETURN_IF_ERROR(WriteAll(sock, buf, static_cast<size_t>(n)));
    length -= n;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<HttpClient> HttpClient::ForUri(const std::string& uri) {
  ASSIGN_OR_RETURN(Endpoint ep, SplitHttpUrl(uri));
  std::string prefix = ep.path;
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  return HttpClient(uri, ep.host, ep.port, prefix);
}

absl::StatusOr<ClientResponse> HttpClient::Do(const ClientRequest& req) const {
  Endpoint ep{host_, port_, prefix_ + req.target};
  if (StartsWith(req.target, "http://")) {
    ASSIGN_OR_RETURN(ep, SplitHttpUrl(req.target));
    if (ep.path.empty()) ep.path = "/";
  }
  Fd file;
  int64_t length = static_cast<int64_t>(req.body.size());
  if (!req.body_file.empty()) {
    file.fd = ::open(req.body_file.c_str(), O_RDONLY | O_CLOEXEC);
    if (file.fd < 0) return ErrnoStatus(errno, "open", req.body_file);
    struct stat st;
    if (::fstat(file.fd, &st) != 0) return ErrnoStatus(errno, "stat", req.body_file);
    length = req.body_file_length >= 0 ? req.body_file_length : st.st_size - req.body_file_offset;
  }
  std::string head = req.method + " " + ep.path + " HTTP/1.1\r\nHost: " + ep.host + ":" + ep.port +
                     "\r\nConnection: close\r\n";
  bool has_agent = false;
  for (const auto& [k, v] : req.headers) {
    head += k + ": " + v + "\r\n";
    has_agent |= ToLower(k) == "user-agent";
  }
  if (!has_agent) head += "User-Agent: ferry/" FERRY_VERSION "\r\n";
  if (length > 0 || req.method == "POST" || req.method == "PUT" || req.method == "PATCH") {
    head += "Content-Length: " + std::to_string(length) + "\r\n";
  }
  head += "\r\n";

  Fd sock;
  ASSIGN_OR_RETURN(sock.fd, Connect(ep, timeout_ms_, hint_));
  RETURN_IF_ERROR(WriteAll(sock.fd, head.data(), head.size()));
  if (file.fd >= 0) {
    RETURN_IF_ERROR(SendFileRange(sock.fd, file.fd, req.body_file_offset, length));
  } else {
    RETURN_IF_ERROR(WriteAll(sock.fd, req.body.data(), req.body.size()));
  }

  ClientResponse resp;
  Fd out;
  int64_t received = 0;
  auto over_limit = [&](std::string_view d) -> absl::Status {
    received += static_cast<int64_t>(d.size());
    if (req.max_response_bytes < 0 || received <= req.max_response_bytes) return absl::OkStatus();
    return absl::ResourceExhaustedError(
        "the response from " + ep.host + ":" + ep.port + " is larger than the " +
        std::to_string(req.max_response_bytes) + " bytes expected; refusing the rest");
  };
  auto consumer = [&](const ClientResponse& h) -> absl::StatusOr<BodyConsumer> {
    if (req.response_file.empty() || h.status < 200 || h.status >= 300) {
      return BodyConsumer([&](std::string_view d) -> absl::Status {
        RETURN_IF_ERROR(over_limit(d));
        resp.body.append(d);
        return absl::OkStatus();
      });
    }
    out.fd = ::open(req.response_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out.fd < 0) return ErrnoStatus(errno, "create", req.response_file);
    return BodyConsumer([&](std::string_view d) -> absl::Status {
      RETURN_IF_ERROR(over_limit(d));
      while (!d.empty()) {
        ssize_t n = ::write(out.fd, d.data(), d.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return ErrnoStatus(errno, "write", req.response_file);
        d.remove_prefix(static_cast<size_t>(n));
      }
      return absl::OkStatus();
    });
  };
  RETURN_IF_ERROR(ReadResponse(sock.fd, req.method == "HEAD", consumer, resp));
  return resp;
}

absl::StatusOr<ClientResponse> HttpClient::Send(const std::string& method,
                                                const std::string& target, const std::string& body,
                                                const std::string& content_type) const {
  ClientRequest req;
  req.method = method;
  req.target = target;
  req.body = body;
  if (!content_type.empty()) req.headers.emplace_back("Content-Type", content_type);
  return Do(req);
}

absl::StatusOr<ClientResponse> HttpClient::PutFile(const std::string& target,
                                                   const std::string& file_path) const {
  ClientRequest req;
  req.method = "PUT";
  req.target = target;
  req.body_file = file_path;
  req.headers.emplace_back("Content-Type", "application/octet-stream");
  return Do(req);
}

}  // namespace ferry::http
