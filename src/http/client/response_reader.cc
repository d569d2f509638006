#include "http/client/response_reader.h"

#include <sys/socket.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>

#include "common/strings.h"

namespace ferry::http {
namespace {

constexpr size_t kMaxHead = 64 * 1024;

class SocketReader {
 public:
  explicit SocketReader(int fd) : fd_(fd) {}

  // Makes at least one more byte available; false at end of stream.
  absl::StatusOr<bool> Fill() {
    char buf[1 << 16];
    while (true) {
      ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        return absl::DeadlineExceededError("timed out waiting for the HTTP response");
      }
      if (n < 0) return absl::UnavailableError(std::string("recv failed: ") + std::strerror(errno));
      if (n == 0) return false;
      data_.append(buf, static_cast<size_t>(n));
      return true;
    }
  }
  // Reads until `delim` is buffered; returns the text before it and consumes both.
  absl::StatusOr<std::string> ReadUntil(std::string_view delim, size_t limit) {
    size_t at;
    while ((at = data_.find(delim, pos_)) == std::string::npos) {
      if (data_.size() - pos_ > limit) return absl::DataLossError("HTTP response head too large");
      ASSIGN_OR_RETURN(bool more, Fill());
      if (!more) return absl::DataLossError("connection closed in the middle of an HTTP response");
    }
    std::string out = data_.substr(pos_, at - pos_);
    pos_ = at + delim.size();
    Compact();
    return out;
  }
  // Passes up to `n` bytes (n < 0: until end of stream) to `sink`.
  absl::Status Copy(int64_t n, const BodyConsumer& sink, int64_t& counted) {
    while (n != 0) {
      if (pos_ == data_.size()) {
        data_.clear();
        pos_ = 0;
        ASSIGN_OR_RETURN(bool more, Fill());
        if (!more) {
          if (n < 0) return absl::OkStatus();
          return absl::DataLossError("connection closed before the whole body arrived");
        }
      }
      size_t take = data_.size() - pos_;
      if (n > 0 && static_cast<int64_t>(take) > n) take = static_cast<size_t>(n);
      RETURN_IF_ERROR(sink(std::string_view(data_).substr(pos_, take)));
      pos_ += take;
      counted += static_cast<int64_t>(take);
      if (n > 0) n -= static_cast<int64_t>(take);
    }
    return absl::OkStatus();
  }

 private:
  void Compact() {
    if (pos_ > (1 << 16)) {
      data_.erase(0, pos_);
      pos_ = 0;
    }
  }
  int fd_;
  std::string data_;
  size_t pos_ = 0;
};

absl::Status ParseHead(const std::string& head, ClientResponse& resp) {
  std::vector<std::string> lines;
  for (std::string_view line : SplitString(head, '\n')) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.emplace_back(line);
  }
  if (lines.empty() || !StartsWith(lines[0], "HTTP/1.") || lines[0].size() < 12) {
    return absl::DataLossError("malformed HTTP status line from server");
  }
  auto code = ParseInt64(std::string_view(lines[0]).substr(9, 3));
  if (!code) return absl::DataLossError("malformed HTTP status line from server");
  resp.status = static_cast<int>(*code);
  for (size_t i = 1; i < lines.size(); ++i) {
    size_t colon = lines[i].find(':');
    if (colon == std::string::npos) return absl::DataLossError("malformed HTTP header");
    std::string value = lines[i].substr(colon + 1);
    size_t b = value.find_first_not_of(" \t");
    size_t e = value.find_last_not_of(" \t");
    value = b == std::string::npos ? "" : value.substr(b, e - b + 1);
    resp.headers.emplace_back(ToLower(lines[i].substr(0, colon)), std::move(value));
  }
  return absl::OkStatus();
}

absl::Status ReadChunked(SocketReader& in, const BodyConsumer& sink, int64_t& counted) {
  while (true) {
    ASSIGN_OR_RETURN(std::string size_line, in.ReadUntil("\r\n", 1024));
    size_t end = size_line.find(';');
    std::string hex = size_line.substr(0, end);
    char* stop = nullptr;
    errno = 0;
    unsigned long long len = std::strtoull(hex.c_str(), &stop, 16);
    if (hex.empty() || *stop != '\0' || errno != 0 ||
        len > static_cast<unsigned long long>(INT64_MAX)) {
      return absl::DataLossError("malformed chunk size in HTTP response");
    }
    if (len == 0) {
      // Trailers, then the final blank line.
      while (true) {
        ASSIGN_OR_RETURN(std::string trailer, in.ReadUntil("\r\n", kMaxHead));
        if (trailer.empty()) return absl::OkStatus();
      }
    }
    RETURN_IF_ERROR(in.Copy(static_cast<int64_t>(len), sink, counted));
    ASSIGN_OR_RETURN(std::string crlf, in.ReadUntil("\r\n", 2));
    if (!crlf.empty()) return absl::DataLossError("malformed chunk in HTTP response");
  }
}

}  // namespace

std::string ClientResponse::Header(const std::string& name) const {
  for (const auto& [k, v] : headers) {
    if (k == name) return v;
  }
  return "";
}

absl::Status ReadResponse(int fd, bool no_body, const ConsumerFactory& consumer,
                          ClientResponse& resp) {
  SocketReader in(fd);
  while (true) {
    ASSIGN_OR_RETURN(std::string head, in.ReadUntil("\r\n\r\n", kMaxHead));
    resp.headers.clear();
    RETURN_IF_ERROR(ParseHead(head, resp));
    if (resp.status >= 200 || resp.status == 101) break;  // skip 100 Continue
  }
  if (no_body || resp.status == 204 || resp.status == 304) return absl::OkStatus();
  ASSIGN_OR_RETURN(BodyConsumer sink, consumer(resp));
  if (ToLower(resp.Header("transfer-encoding")).find("chunked") != std::string::npos) {
    return ReadChunked(in, sink, resp.body_bytes);
  }
  std::string length = resp.Header("content-length");
  if (length.empty()) return in.Copy(-1, sink, resp.body_bytes);
  auto n = ParseInt64(length);
  if (!n || *n < 0) return absl::DataLossError("malformed Content-Length in HTTP response");
  return in.Copy(*n, sink, resp.body_bytes);
}

}  // namespace ferry::http
