#include "http/testing/raw_http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>

namespace ferry::http::testing {
namespace {

std::string Lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return out;
}

}  // namespace

std::string RawResponse::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return "";
}

bool RawResponse::HasHeader(std::string_view name) const {
  return std::any_of(headers.begin(), headers.end(),
                     [name](const auto& header) { return header.first == name; });
}

RawHttpClient::RawHttpClient(int port, const char* source_address) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return;
  timeval timeout{30, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  if (source_address != nullptr) {
    sockaddr_in source{};
    source.sin_family = AF_INET;
    if (inet_pton(AF_INET, source_address, &source.sin_addr) != 1 ||
        ::bind(fd, reinterpret_cast<sockaddr*>(&source), sizeof(source)) != 0) {
      ::close(fd);
      return;
    }
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    ::close(fd);
    return;
  }
  fd_ = fd;
}

RawHttpClient::~RawHttpClient() { Close(); }

void RawHttpClient::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void RawHttpClient::Reset() {
  if (fd_ < 0) return;
  linger option{1, 0};
  setsockopt(fd_, SOL_SOCKET, SO_LINGER, &option, sizeof(option));
  Close();
}

bool RawHttpClient::WaitReadable(int timeout_ms) {
  if (!buffer_.empty()) return true;
  pollfd entry{fd_, POLLIN, 0};
  return ::poll(&entry, 1, timeout_ms) > 0;
}

void RawHttpClient::ShutdownWrite() { ::shutdown(fd_, SHUT_WR); }

bool RawHttpClient::Send(std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

bool RawHttpClient::Fill() {
  char chunk[65536];
  while (true) {
    ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }
}

RawResponse RawHttpClient::Read(bool head) {
  RawResponse response;
  size_t end;
  while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!Fill()) return response;
  }
  std::string_view text(buffer_.data(), end + 2);
  size_t line_end = text.find("\r\n");
  std::string_view status_line = text.substr(0, line_end);
  if (status_line.substr(0, 9) != "HTTP/1.1 ") return response;
  int status = std::atoi(std::string(status_line.substr(9, 3)).c_str());
  text.remove_prefix(line_end + 2);
  while (!text.empty()) {
    line_end = text.find("\r\n");
    std::string_view line = text.substr(0, line_end);
    size_t colon = line.find(':');
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    response.headers.emplace_back(Lowercase(line.substr(0, colon)), std::string(value));
    text.remove_prefix(line_end + 2);
  }
  buffer_.erase(0, end + 4);
  bool bodiless = head || status < 200 || status == 204 || status == 304;
  if (!bodiless && response.HasHeader("content-length")) {
    size_t length = std::strtoull(response.Header("content-length").c_str(), nullptr, 10);
    while (buffer_.size() < length) {
      if (!Fill()) return response;
    }
    response.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
  } else if (!bodiless) {
    while (Fill()) {
    }
    response.body.swap(buffer_);
  }
  response.status = status;
  return response;
}

bool RawHttpClient::WaitForClose() {
  char byte;
  while (true) {
    ssize_t n = ::recv(fd_, &byte, 1, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) return buffer_.empty();
    if (n < 0) return errno == ECONNRESET && buffer_.empty();
    buffer_.push_back(byte);
  }
}

RawResponse RoundTrip(int port, std::string_view request) {
  RawHttpClient client(port);
  if (!client.connected() || !client.Send(request)) return RawResponse();
  return client.Read();
}

}  // namespace ferry::http::testing
