#pragma once
// A one-shot HTTP server on 127.0.0.1 for HttpClient tests: it records the request it gets
// and answers with canned bytes.

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>

namespace ferry::net::testing {

// A listening socket on 127.0.0.1 with a free port.
inline int Listen(int* port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  ::listen(fd, 4);
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  *port = ntohs(addr.sin_port);
  return fd;
}

// Accepts one connection, reads the request until `expect_bytes` arrived or the head ends
// (when 0), waits `delay_ms`, writes `reply` and closes.
class CannedServer {
 public:
  explicit CannedServer(std::string reply, size_t expect_bytes = 0, int delay_ms = 0) {
    listen_fd_ = Listen(&port_);
    thread_ = std::thread([this, reply = std::move(reply), expect_bytes, delay_ms] {
      int fd = ::accept(listen_fd_, nullptr, nullptr);
      char buf[4096];
      while (true) {
        ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
        if (n <= 0) break;
        request_.append(buf, static_cast<size_t>(n));
        size_t head = request_.find("\r\n\r\n");
        if (expect_bytes ? request_.size() >= head + 4 + expect_bytes : head != std::string::npos) {
          break;
        }
      }
      if (delay_ms) ::usleep(delay_ms * 1000);
      ::send(fd, reply.data(), reply.size(), MSG_NOSIGNAL);
      ::close(fd);
    });
  }
  ~CannedServer() {
    thread_.join();
    ::close(listen_fd_);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  const std::string& request() {
    thread_.join();
    thread_ = std::thread([] {});
    return request_;
  }

 private:
  int listen_fd_;
  int port_;
  std::thread thread_;
  std::string request_;
};

}  // namespace ferry::net::testing
