// libFuzzer target for the whole HTTP server: each input is a client byte stream, sent over
// loopback to a real HttpServer in random pieces, followed by a half-close. The server must
// answer with well-formed HTTP/1.1 and close the connection: a hang (no close within 10 s),
// crash or sanitizer report is a finding. Routes cover buffered, streamed (with a failing
// sink), thrown, HEAD and BodySource responses.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>

#include "http/http_server.h"

namespace {

using namespace ferry::http;

// Says which property failed (and errno) before trapping: the server is shared by every
// input, so a finding may need the log to be understood.
#define CHECK_OR_TRAP(condition)                                                               \
  do {                                                                                         \
    if (!(condition)) {                                                                        \
      std::fprintf(stderr, "http_server_fuzz: failed: %s (errno %d: %s)\n", #condition, errno, \
                   std::strerror(errno));                                                      \
      __builtin_trap();                                                                        \
    }                                                                                          \
  } while (0)

class FuzzSink : public BodySink {
 public:
  // BodySink
  absl::Status Write(std::string_view chunk) override {
    bytes_ += chunk.size();
    if (chunk.find('!') != std::string_view::npos) return absl::InvalidArgumentError("bang");
    return absl::OkStatus();
  }
  HttpResponse Finish() override { return HttpResponse::Json(201, std::to_string(bytes_)); }
  void Abort() override {}

 private:
  size_t bytes_ = 0;
};

class SmallSource : public BodySource {
 public:
  explicit SmallSource(int64_t size) : left_(size), size_(size) {}
  // BodySource
  int64_t size() const override { return size_; }
  int fd() const override { return -1; }
  absl::StatusOr<size_t> Read(char* buf, size_t n) override {
    size_t count = std::min<size_t>(n, static_cast<size_t>(std::max<int64_t>(left_, 0)));
    std::fill(buf, buf + count, 'd');
    left_ -= static_cast<int64_t>(count);
    return count;
  }

 private:
  int64_t left_;
  int64_t size_;
};

Router* MakeRouter() {
  auto* router = new Router();
  router->Add("GET", "/hello", [](HttpRequest&) { return HttpResponse::Text(200, "hello"); });
  router->Add("POST", "/echo", [](HttpRequest& r) { return HttpResponse::Text(200, r.body); });
  router->Add("GET", "/throw", [](HttpRequest&) -> HttpResponse { throw std::runtime_error("x"); });
  router->Add("GET", "/download/*", [](HttpRequest& r) {
    HttpResponse response;
    response.source = std::make_unique<SmallSource>(r.path_rest == "unknown" ? -1 : 70000);
    return response;
  });
  router->AddStream("PUT", "/upload/*", [](HttpRequest& r) {
    using Result = std::variant<std::unique_ptr<BodySink>, HttpResponse>;
    if (r.path_rest == "no") return Result(HttpResponse::Json(403, "{}"));
    return Result(std::make_unique<FuzzSink>());
  });
  return router;
}

int ServerPort() {
  static HttpServer* server = [] {
    ServerOptions options;
    options.port = 0;
    options.threads = 1;
    options.access_log = false;
    options.max_body_bytes = 4096;
    options.idle_timeout_ms = 5000;
    auto created = HttpServer::Create(options, *MakeRouter());
    CHECK_OR_TRAP(created.ok());
    (*created)->Start();
    return created->release();
  }();
  return server->port();
}

int Connect(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  CHECK_OR_TRAP(fd >= 0);
  timeval timeout{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  if (rc != 0 && errno == EINTR) {  // the connection goes on; wait for its outcome
    pollfd p{fd, POLLOUT, 0};
    while (::poll(&p, 1, 10000) < 0 && errno == EINTR) {
    }
    int error = 0;
    socklen_t length = sizeof(error);
    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
    rc = error == 0 ? 0 : -1;
    errno = error;
  }
  CHECK_OR_TRAP(rc == 0);
  return fd;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0 || size > 16384) return 0;
  int fd = Connect(ServerPort());
  std::minstd_rand rng(data[0]);
  std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  bool sent_all = true;
  while (!input.empty() && sent_all) {
    size_t n = std::min<size_t>(input.size(), 1 + rng() % 64);
    ssize_t sent;
    do {
      sent = ::send(fd, input.data(), n, MSG_NOSIGNAL);
    } while (sent < 0 && errno == EINTR);  // libFuzzer's timers interrupt system calls
    sent_all = sent == static_cast<ssize_t>(n);
    input.remove_prefix(n);
  }
  ::shutdown(fd, SHUT_WR);
  std::string output;
  char buffer[65536];
  while (true) {
    ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
    if (n > 0) {
      output.append(buffer, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    CHECK_OR_TRAP(n == 0 || errno == ECONNRESET);  // EAGAIN here means the server hung
    break;
  }
  ::close(fd);
  CHECK_OR_TRAP(output.empty() || output.compare(0, 9, "HTTP/1.1 ") == 0);
  return 0;
}
