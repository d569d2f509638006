#include "http/output_queue.h"

#include <errno.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <exception>

#include "common/logging.h"
#include "http/transport.h"

namespace ferry::http {
namespace {

constexpr size_t kStreamBufferSize = 256 * 1024;
constexpr size_t kSendfileChunk = 1 << 20;
constexpr size_t kCongestedBytes = 256 * 1024;
constexpr size_t kAppendToOwnedLimit = 64 * 1024;
constexpr int kMaxIov = 64;

// Writes from `data` through TLS until all `size` bytes are out or the socket is full.
OutputQueue::FlushResult WriteSecure(Transport& transport, const char* data, size_t size,
                                     size_t* written) {
  *written = 0;
  while (*written < size) {
    size_t n = 0;
    switch (transport.Write(data + *written, size - *written, &n)) {
      case Transport::Result::kOk:
        *written += n;
        break;
      case Transport::Result::kWantRead:
      case Transport::Result::kWantWrite:
        return OutputQueue::FlushResult::kBlocked;
      default:
        return OutputQueue::FlushResult::kError;
    }
  }
  return OutputQueue::FlushResult::kDone;
}

}  // namespace

std::string* OutputQueue::AppendBuffer() {
  if (tail_.empty()) return &head_;
  Segment& last = tail_.back();
  if (!last.source && last.bytes.size() < kAppendToOwnedLimit) return &last.bytes;
  tail_.emplace_back();
  return &tail_.back().bytes;
}

void OutputQueue::AppendOwned(std::string bytes) {
  if (bytes.empty()) return;
  Segment& segment = tail_.emplace_back();
  segment.bytes = std::move(bytes);
}

void OutputQueue::AppendSource(std::unique_ptr<BodySource> source, int64_t size) {
  if (size == 0) return;
  Segment& segment = tail_.emplace_back();
  segment.source = std::move(source);
  segment.left = size;
}

bool OutputQueue::congested() const {
  return !tail_.empty() || head_.size() - head_offset_ > kCongestedBytes;
}

void OutputQueue::Clear() {
  head_.clear();
  head_offset_ = 0;
  tail_.clear();
  stream_buffer_.reset();
  stream_begin_ = stream_end_ = 0;
}

OutputQueue::FlushResult OutputQueue::Flush(int fd, Transport* transport, const Waker& waker,
                                            size_t* bytes_sent) {
  *bytes_sent = 0;
  while (!empty()) {
    FlushResult result;
    if (head_offset_ == head_.size() && tail_.front().source) {
      result = FlushSource(fd, transport, waker, &tail_.front(), bytes_sent);
      if (result == FlushResult::kDone) {
        tail_.pop_front();
        stream_buffer_.reset();
      }
    } else if (transport != nullptr) {
      result = FlushStringsSecure(*transport, bytes_sent);
    } else {
      result = FlushStrings(fd, bytes_sent);
    }
    if (result != FlushResult::kDone) return result;
  }
  if (head_.capacity() > (1 << 20)) std::string().swap(head_);
  return FlushResult::kDone;
}

OutputQueue::FlushResult OutputQueue::FlushStrings(int fd, size_t* bytes_sent) {
  iovec iov[kMaxIov];
  int count = 0;
  size_t total = 0;
  if (head_offset_ < head_.size()) {
    iov[count++] = {head_.data() + head_offset_, head_.size() - head_offset_};
  }
  for (const Segment& segment : tail_) {
    if (segment.source || count == kMaxIov) break;
    if (segment.offset == segment.bytes.size()) continue;
    iov[count++] = {const_cast<char*>(segment.bytes.data()) + segment.offset,
                    segment.bytes.size() - segment.offset};
  }
  for (int i = 0; i < count; ++i) total += iov[i].iov_len;
  msghdr message{};
  message.msg_iov = iov;
  message.msg_iovlen = count;
  ssize_t n;
  do {
    n = ::sendmsg(fd, &message, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return errno == EAGAIN ? FlushResult::kBlocked : FlushResult::kError;
  *bytes_sent += static_cast<size_t>(n);
  Advance(static_cast<size_t>(n));
  // A short write means the socket buffer is full.
  return static_cast<size_t>(n) < total ? FlushResult::kBlocked : FlushResult::kDone;
}

// TLS has no gather write: the strings go out one after another (head_ holds the small
// responses together, so they still share records).
OutputQueue::FlushResult OutputQueue::FlushStringsSecure(Transport& transport, size_t* bytes_sent) {
  const char* data;
  size_t size;
  if (head_offset_ < head_.size()) {
    data = head_.data() + head_offset_;
    size = head_.size() - head_offset_;
  } else {
    const Segment& segment = tail_.front();
    data = segment.bytes.data() + segment.offset;
    size = segment.bytes.size() - segment.offset;
  }
  size_t written = 0;
  FlushResult result = WriteSecure(transport, data, size, &written);
  *bytes_sent += written;
  Advance(written);
  return result;
}

void OutputQueue::Advance(size_t n) {
  size_t take = std::min(n, head_.size() - head_offset_);
  head_offset_ += take;
  n -= take;
  if (head_offset_ == head_.size()) {
    head_.clear();
    head_offset_ = 0;
  }
  while (!tail_.empty() && !tail_.front().source) {
    Segment& segment = tail_.front();
    take = std::min(n, segment.bytes.size() - segment.offset);
    segment.offset += take;
    n -= take;
    if (segment.offset < segment.bytes.size()) break;
    tail_.pop_front();
  }
}

OutputQueue::FlushResult OutputQueue::SendStreamBuffer(int fd, Transport* transport,
                                                       size_t* bytes_sent) {
  if (transport != nullptr && stream_begin_ < stream_end_) {
    size_t written = 0;
    FlushResult result = WriteSecure(*transport, stream_buffer_.get() + stream_begin_,
                                     stream_end_ - stream_begin_, &written);
    stream_begin_ += written;
    *bytes_sent += written;
    if (result != FlushResult::kDone) return result;
  }
  while (stream_begin_ < stream_end_) {
    ssize_t n =
        ::send(fd, stream_buffer_.get() + stream_begin_, stream_end_ - stream_begin_, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno == EAGAIN ? FlushResult::kBlocked : FlushResult::kError;
    stream_begin_ += static_cast<size_t>(n);
    *bytes_sent += static_cast<size_t>(n);
  }
  stream_begin_ = stream_end_ = 0;
  return FlushResult::kDone;
}

// Sends one BodySource. A source that ends early, fails or over-delivers ends the
// connection: the head already promised Content-Length bytes.
OutputQueue::FlushResult OutputQueue::FlushSource(int fd, Transport* transport, const Waker& waker,
                                                  Segment* segment, size_t* bytes_sent) {
  while (true) {
    FlushResult sent = SendStreamBuffer(fd, transport, bytes_sent);
    if (sent != FlushResult::kDone) return sent;
    if (segment->left == 0) return FlushResult::kDone;
    // sendfile(2) would bypass TLS: a TLS connection reads the source into the buffer.
    int source_fd = transport != nullptr ? -1 : segment->source->fd();
    if (source_fd >= 0 && !segment->use_read) {
      size_t want =
          segment->left < 0 ? kSendfileChunk : std::min<size_t>(segment->left, kSendfileChunk);
      ssize_t n = ::sendfile(fd, source_fd, nullptr, want);
      if (n > 0) {
        *bytes_sent += static_cast<size_t>(n);
        if (segment->left > 0) segment->left -= n;
        continue;
      }
      if (n == 0) {
        if (segment->left < 0) return segment->left = 0, FlushResult::kDone;
        LogWarn("response body source ended early", {});
        return FlushResult::kError;
      }
      if (errno == EINTR) continue;
      if (errno == EAGAIN) return FlushResult::kBlocked;
      if (errno != EINVAL && errno != ENOSYS) return FlushResult::kError;
      segment->use_read = true;  // not a regular file: fall back to Read()
      continue;
    }
    if (!segment->source->Poll(waker)) return FlushResult::kWaiting;
    if (!stream_buffer_) stream_buffer_.reset(new char[kStreamBufferSize]);
    size_t want =
        segment->left < 0 ? kStreamBufferSize : std::min<size_t>(segment->left, kStreamBufferSize);
    absl::StatusOr<size_t> n = absl::InternalError("BodySource::Read threw");
    try {
      n = segment->source->Read(stream_buffer_.get(), want);
    } catch (const std::exception& e) {
      n = absl::InternalError(e.what());
    }
    if (!n.ok() || *n > want || (*n == 0 && segment->left > 0)) {
      std::string error = n.ok() ? "ended early" : n.status().ToString();
      LogWarn("response body source failed", {{"error", error}});
      return FlushResult::kError;
    }
    if (*n == 0) return segment->left = 0, FlushResult::kDone;
    stream_begin_ = 0;
    stream_end_ = *n;
    if (segment->left > 0) segment->left -= static_cast<int64_t>(*n);
  }
}

}  // namespace ferry::http
