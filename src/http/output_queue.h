#pragma once
// The bytes a connection still has to send, in order: response heads and small bodies copied
// into one buffer, large bodies moved in without copying, and BodySources streamed in bounded
// pieces (sendfile(2) when the source has an fd and the connection is plain, else Read() into
// a 256 KB buffer). Internal to http/. Not thread-safe.

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>

#include "http/http_types.h"

namespace ferry::http {

class Transport;

class OutputQueue {
 public:
  enum class FlushResult {
    kDone,     // everything queued was sent
    kBlocked,  // the socket is full; call again once it is writable
    kWaiting,  // a BodySource has no bytes ready yet; call again once it wakes the connection
    kError,    // the peer is gone or a BodySource failed; close the connection
  };

  // A buffer to append small bytes to; they are sent after everything queued before.
  std::string* AppendBuffer();
  // Queues a large string without copying it.
  void AppendOwned(std::string bytes);
  // Queues `size` bytes from `source` (size < 0: until Read() returns 0).
  void AppendSource(std::unique_ptr<BodySource> source, int64_t size);

  bool empty() const { return head_.size() == head_offset_ && tail_.empty(); }
  // True when enough is queued that the connection should stop taking new requests.
  bool congested() const;

  // Writes as much as `fd` accepts without blocking, through `transport` when not null (TLS).
  // *bytes_sent receives the bytes written. After kBlocked the unsent bytes stay where they
  // were, as a retried TLS write needs. `waker` goes to a BodySource that is not ready
  // (BodySource::Poll).
  FlushResult Flush(int fd, Transport* transport, const Waker& waker, size_t* bytes_sent);
  // Drops everything queued (the connection is closing).
  void Clear();

 private:
  struct Segment {
    std::string bytes;
    size_t offset = 0;
    std::unique_ptr<BodySource> source;
    int64_t left = 0;  // source bytes not yet taken from the source; < 0: unknown
    bool use_read = false;
  };

  FlushResult FlushStrings(int fd, size_t* bytes_sent);
  FlushResult FlushStringsSecure(Transport& transport, size_t* bytes_sent);
  FlushResult FlushSource(int fd, Transport* transport, const Waker& waker, Segment* segment,
                          size_t* bytes_sent);
  FlushResult SendStreamBuffer(int fd, Transport* transport, size_t* bytes_sent);
  void Advance(size_t n);

  // head_ always precedes tail_: bytes go to head_ only while tail_ is empty.
  std::string head_;
  size_t head_offset_ = 0;
  std::deque<Segment> tail_;
  // Bytes read from a BodySource and not yet sent.
  std::unique_ptr<char[]> stream_buffer_;
  size_t stream_begin_ = 0;
  size_t stream_end_ = 0;
};

}  // namespace ferry::http
