#pragma once
// A connection's secure byte stream over its non-blocking socket (TLS; see tls/tls_context.h
// for the only implementation). Internal to http/. A plaintext connection has none and uses
// the socket directly (sendmsg, sendfile). One connection's, driven by its loop thread.
//
// Every call that returns kWantRead or kWantWrite must be repeated, with the same bytes still
// queued at the same or a larger size, once the socket is readable or writable again.

#include <cstddef>

namespace ferry::http {

class Transport {
 public:
  enum class Result {
    kOk,
    kWantRead,   // wait until the socket is readable
    kWantWrite,  // wait until the socket is writable
    kEof,        // the peer closed the stream
    kError,      // protocol or socket error: close the connection
    kPlaintext,  // Handshake(): the client spoke plain HTTP to this port
  };

  virtual ~Transport() = default;

  // Continues the server's handshake: kOk once it is complete.
  virtual Result Handshake() = 0;
  // Reads up to `size` bytes; *n receives the count (> 0 with kOk).
  virtual Result Read(char* buffer, size_t size, size_t* n) = 0;
  // Writes up to `size` bytes; *n receives the count (> 0 with kOk; may be short).
  virtual Result Write(const char* data, size_t size, size_t* n) = 0;
  // Sends the close notification if it fits in the socket without blocking.
  virtual void Shutdown() = 0;
};

}  // namespace ferry::http
