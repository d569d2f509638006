#include "registry/testing/webhook_receiver.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>

namespace ferry::registry::testing {
namespace {

// Reads one request (head and Content-Length body); returns the body, or false.
bool ReadRequest(int fd, std::string& body) {
  std::string data;
  char buf[4096];
  size_t head_end = std::string::npos;
  size_t want = 0;
  while (true) {
    if (head_end != std::string::npos && data.size() >= head_end + 4 + want) break;
    ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) return false;
    data.append(buf, static_cast<size_t>(n));
    if (head_end == std::string::npos && (head_end = data.find("\r\n\r\n")) != std::string::npos) {
      size_t cl = data.find("Content-Length: ");
      if (cl != std::string::npos && cl < head_end)
        want = std::strtoul(&data[cl + 16], nullptr, 10);
    }
  }
  body = data.substr(head_end + 4, want);
  return true;
}

}  // namespace

WebhookReceiver::WebhookReceiver(std::vector<int> script, Mode mode, bool ipv6)
    : ipv6_(ipv6), script_(std::move(script)), mode_(mode) {
  int fd = ::socket(ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_storage ss{};
  socklen_t len = 0;
  if (ipv6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&ss);
    a->sin6_family = AF_INET6;
    a->sin6_addr = in6addr_loopback;
    len = sizeof(*a);
  } else {
    auto* a = reinterpret_cast<sockaddr_in*>(&ss);
    a->sin_family = AF_INET;
    a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    len = sizeof(*a);
  }
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&ss), len) != 0 || ::listen(fd, 64) != 0) {
    if (fd >= 0) ::close(fd);
    return;
  }
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len);
  port_ = ntohs(ipv6 ? reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port
                     : reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
  listen_fd_ = fd;
  thread_ = std::thread([this] { AcceptLoop(); });
}

WebhookReceiver::~WebhookReceiver() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  for (int fd : held_) ::close(fd);
}

std::string WebhookReceiver::url() const {
  return std::string(ipv6_ ? "http://[::1]:" : "http://127.0.0.1:") + std::to_string(port_) +
         "/hook";
}

void WebhookReceiver::AcceptLoop() {
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    ++connections_;
    if (mode_ == Mode::kBlackHole) {
      held_.push_back(fd);
      continue;
    }
    Serve(fd);
    ::close(fd);
  }
}

void WebhookReceiver::Serve(int fd) {
  std::string body;
  if (!ReadRequest(fd, body)) return;
  int status = 200;
  {
    std::lock_guard<std::mutex> lock(mu_);
    bodies_.push_back(body);
    if (bodies_.size() <= script_.size()) status = script_[bodies_.size() - 1];
  }
  cv_.notify_all();
  // A 3xx points back here: a client that followed it would be seen again.
  std::string location = status >= 300 && status < 400 ? "Location: /again\r\n" : "";
  std::string reply = "HTTP/1.1 " + std::to_string(status) + " Scripted\r\n" + location +
                      "Content-Length: 0\r\nConnection: close\r\n\r\n";
  ::send(fd, reply.data(), reply.size(), MSG_NOSIGNAL);
}

std::vector<std::string> WebhookReceiver::bodies() {
  std::lock_guard<std::mutex> lock(mu_);
  return bodies_;
}

std::vector<std::string> WebhookReceiver::WaitFor(size_t n, int timeout_ms) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] { return bodies_.size() >= n; });
  return bodies_;
}

}  // namespace ferry::registry::testing
