#include "net/transfer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "common/fs.h"
#include "common/strings.h"

namespace ferry::net {

absl::StatusOr<int64_t> Transfer::OpenBody() {
  if (req_.body_file.empty()) {
    in_len_ = static_cast<int64_t>(req_.body.size());
    return in_len_;
  }
  in_fd_ = Fd(::open(req_.body_file.c_str(), O_RDONLY | O_CLOEXEC));
  if (!in_fd_.valid()) return ErrnoStatus(errno, "open", req_.body_file);
  struct stat st;
  if (::fstat(in_fd_.get(), &st) != 0) return ErrnoStatus(errno, "stat", req_.body_file);
  in_len_ = req_.body_file_length >= 0 ? req_.body_file_length : st.st_size - req_.body_file_offset;
  if (in_len_ < 0 || req_.body_file_offset + in_len_ > st.st_size) {
    return absl::OutOfRangeError("the upload range lies outside '" + req_.body_file + "'");
  }
  return in_len_;
}

void Transfer::Install(CURL* curl) {
  curl_ = curl;
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, &Transfer::OnRead);
  curl_easy_setopt(curl, CURLOPT_READDATA, this);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Transfer::OnWrite);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, this);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &Transfer::OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, this);
  if (req_.cancel != nullptr) {
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &Transfer::OnProgress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, this);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  }
  if (filter_ != nullptr && *filter_) {
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, &Transfer::OnOpenSocket);
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETDATA, this);
  }
}

int Transfer::OnProgress(void* self, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(self);
  if (!t->req_.cancel->load()) return 0;
  t->error_ = absl::CancelledError("the request was cancelled");
  return 1;
}

size_t Transfer::OnRead(char* buf, size_t size, size_t n, void* self) {
  return static_cast<Transfer*>(self)->Read(buf, size * n);
}

size_t Transfer::Read(char* buf, size_t len) {
  int64_t left = in_len_ - in_pos_;
  size_t want = left < static_cast<int64_t>(len) ? static_cast<size_t>(left) : len;
  if (want == 0) return 0;
  if (!in_fd_.valid()) {
    req_.body.copy(buf, want, static_cast<size_t>(in_pos_));
    in_pos_ += static_cast<int64_t>(want);
    return want;
  }
  while (true) {
    ssize_t got = ::pread(in_fd_.get(), buf, want, req_.body_file_offset + in_pos_);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      error_ = absl::DataLossError("'" + req_.body_file + "' changed while uploading");
      return CURL_READFUNC_ABORT;
    }
    in_pos_ += got;
    return static_cast<size_t>(got);
  }
}

size_t Transfer::OnHeader(char* data, size_t size, size_t n, void* self) {
  auto* t = static_cast<Transfer*>(self);
  std::string_view line(data, size * n);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (StartsWith(line, "HTTP/")) {
    // A new response (after 100 Continue or a redirect): only the last one counts.
    t->resp_.headers.clear();
    if (!t->out_fd_.valid()) {
      t->resp_.body.clear();
      t->resp_.body_bytes = 0;
      t->out_decided_ = false;
    }
  } else if (size_t colon = line.find(':'); colon != std::string_view::npos) {
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
      value.remove_prefix(1);
    }
    t->resp_.headers.emplace_back(ToLower(line.substr(0, colon)), std::string(value));
  }
  return size * n;
}

size_t Transfer::OnWrite(char* data, size_t size, size_t n, void* self) {
  return static_cast<Transfer*>(self)->Write(data, size * n);
}

size_t Transfer::Write(const char* data, size_t len) {
  resp_.body_bytes += static_cast<int64_t>(len);
  if (req_.max_response_bytes >= 0 && resp_.body_bytes > req_.max_response_bytes) {
    error_ = absl::ResourceExhaustedError("the response from " + host_ + " is larger than the " +
                                          std::to_string(req_.max_response_bytes) +
                                          " bytes expected; refusing the rest");
    return 0;
  }
  if (!out_decided_) {
    out_decided_ = true;
    long status = 0;
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
    if (!req_.response_file.empty() && status >= 200 && status < 300) {
      if (error_ = OpenResponseFile(); !error_.ok()) return 0;
    }
  }
  if (!out_fd_.valid()) {
    resp_.body.append(data, len);
    return len;
  }
  if (absl::Status st = WriteAll(out_fd_.get(), std::string_view(data, len), req_.response_file);
      !st.ok()) {
    error_ = st;
    return 0;
  }
  return len;
}

absl::Status Transfer::OpenResponseFile() {
  out_fd_ = Fd(::open(req_.response_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!out_fd_.valid()) return ErrnoStatus(errno, "create", req_.response_file);
  return absl::OkStatus();
}

curl_socket_t Transfer::OnOpenSocket(void* self, curlsocktype purpose, curl_sockaddr* addr) {
  auto* t = static_cast<Transfer*>(self);
  absl::Status vetted = (*t->filter_)(t->host_, &addr->addr);
  if (!vetted.ok()) {
    t->refusal_ = vetted;
    return CURL_SOCKET_BAD;
  }
  return ::socket(addr->family, addr->socktype | SOCK_CLOEXEC, addr->protocol);
}

absl::Status Transfer::Finish(int status) {
  if (!out_decided_ && !req_.response_file.empty() && status >= 200 && status < 300) {
    return OpenResponseFile();
  }
  return absl::OkStatus();
}

}  // namespace ferry::net
