#include "http/http_server.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <mutex>
#include <string>

#include "common/logging.h"
#include "http/event_loop.h"

namespace ferry::http {
namespace {

absl::Status ListenError(const ServerOptions& options, int port, int error) {
  return absl::UnavailableError("Cannot listen on " + options.host + ":" + std::to_string(port) +
                                ": " + strerror(error));
}

// Resolves options.host, preferring IPv4 unless the host is an IPv6 literal.
absl::Status Resolve(const ServerOptions& options, sockaddr_storage* address, socklen_t* length) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* results = nullptr;
  const char* host = options.host.empty() ? nullptr : options.host.c_str();
  int rc = getaddrinfo(host, "0", &hints, &results);
  if (rc != 0) {
    return absl::UnavailableError("Cannot listen on " + options.host + ":" +
                                  std::to_string(options.port) + ": " + gai_strerror(rc));
  }
  const addrinfo* chosen = results;
  for (const addrinfo* ai = results; ai != nullptr; ai = ai->ai_next) {
    if (ai->ai_family == AF_INET) {
      chosen = ai;
      break;
    }
  }
  std::memcpy(address, chosen->ai_addr, chosen->ai_addrlen);
  *length = chosen->ai_addrlen;
  freeaddrinfo(results);
  return absl::OkStatus();
}

void SetPort(sockaddr_storage* address, int port) {
  if (address->ss_family == AF_INET6) {
    reinterpret_cast<sockaddr_in6*>(address)->sin6_port = htons(static_cast<uint16_t>(port));
  } else {
    reinterpret_cast<sockaddr_in*>(address)->sin_port = htons(static_cast<uint16_t>(port));
  }
}

int GetPort(const sockaddr_storage& address) {
  if (address.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port);
  }
  return ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
}

// Binds a socket to `address`; with `reuse_port` it joins the SO_REUSEPORT group, otherwise
// it is an exclusive probe. Returns the fd or -errno.
int BindSocket(const sockaddr_storage& address, socklen_t length, bool reuse_port) {
  int fd = ::socket(address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -errno;
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (reuse_port) setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&address), length) != 0) {
    int error = errno;
    ::close(fd);
    return -error;
  }
  return fd;
}

// Finds the port to serve on. A socket bound without SO_REUSEPORT fails if anything listens
// on the port already (even another SO_REUSEPORT group, such as a second ferry server) and
// picks a free port for port 0.
absl::StatusOr<int> ProbePort(const ServerOptions& options, sockaddr_storage address,
                              socklen_t length) {
  int fd = BindSocket(address, length, false);
  if (fd < 0) return ListenError(options, options.port, -fd);
  socklen_t bound_length = sizeof(address);
  int rc = getsockname(fd, reinterpret_cast<sockaddr*>(&address), &bound_length);
  int error = errno;
  ::close(fd);
  if (rc != 0) return ListenError(options, options.port, error);
  return GetPort(address);
}

}  // namespace

class HttpServer::Impl {
 public:
  Impl(const ServerOptions& options, const Router& router)
      : options_(options),
        router_(router),
        limiter_(options.max_connections, options.max_connections_per_client) {}

  absl::Status Listen();
  void Start();
  void Shutdown(int drain_ms);
  int port() const { return port_; }
  const ConnectionLimiter& limiter() const { return limiter_; }

 private:
  ServerOptions options_;
  const Router& router_;
  ConnectionLimiter limiter_;
  int port_ = 0;
  std::vector<std::unique_ptr<EventLoop>> loops_;
  std::vector<std::thread> threads_;
  std::mutex mu_;
  bool started_ = false;
  bool stopped_ = false;
};

absl::Status HttpServer::Impl::Listen() {
  if (options_.threads <= 0) {
    options_.threads = std::max(2, static_cast<int>(std::thread::hardware_concurrency()));
  }
  sockaddr_storage address{};
  socklen_t length = 0;
  RETURN_IF_ERROR(Resolve(options_, &address, &length));
  SetPort(&address, options_.port);
  ASSIGN_OR_RETURN(port_, ProbePort(options_, address, length));
  SetPort(&address, port_);
  for (int i = 0; i < options_.threads; ++i) {
    int fd = BindSocket(address, length, true);
    if (fd < 0) return ListenError(options_, port_, -fd);
    if (::listen(fd, SOMAXCONN) != 0) {
      int error = errno;
      ::close(fd);
      return ListenError(options_, port_, error);
    }
    ASSIGN_OR_RETURN(auto loop,
                     EventLoop::Create(fd, router_, options_, limiter_, options_.metrics));
    loops_.push_back(std::move(loop));
  }
  return absl::OkStatus();
}

void HttpServer::Impl::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (started_ || stopped_) return;
  started_ = true;
  for (size_t i = 0; i < loops_.size(); ++i) {
    threads_.emplace_back([loop = loops_[i].get(), i] {
      std::string name = "ferry-http-" + std::to_string(i);
      pthread_setname_np(pthread_self(), name.c_str());
      loop->Run();
    });
  }
}

void HttpServer::Impl::Shutdown(int drain_ms) {
  bool on_loop_thread = std::any_of(threads_.begin(), threads_.end(), [](const std::thread& t) {
    return t.get_id() == std::this_thread::get_id();
  });
  if (on_loop_thread) {
    // A handler cannot wait for its own thread: only ask the loops to stop. A later call
    // from another thread (or the destructor) joins them.
    int64_t deadline = EventLoop::NowMs() + std::max(0, drain_ms);
    for (auto& loop : loops_) loop->RequestStop(deadline);
    return;
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (stopped_) return;
  stopped_ = true;
  int64_t deadline = EventLoop::NowMs() + std::max(0, drain_ms);
  for (auto& loop : loops_) loop->RequestStop(deadline);
  for (auto& thread : threads_) thread.join();
  threads_.clear();
  loops_.clear();  // closes listeners of a server that never started
}

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Create(const ServerOptions& options,
                                                               const Router& router) {
  // Writes to a vanished client must fail with EPIPE, not kill the process (sendfile(2) has no
  // MSG_NOSIGNAL). Only the default disposition is changed.
  struct sigaction current {};
  if (sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
    signal(SIGPIPE, SIG_IGN);
  }
  auto impl = std::make_unique<Impl>(options, router);
  RETURN_IF_ERROR(impl->Listen());
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() { impl_->Shutdown(0); }

int HttpServer::port() const { return impl_->port(); }

void HttpServer::RenderConnectionMetrics(std::string* out) const {
  impl_->limiter().RenderMetrics(out);
}

void HttpServer::Start() { impl_->Start(); }

void HttpServer::Shutdown(int drain_ms) { impl_->Shutdown(drain_ms); }

}  // namespace ferry::http
