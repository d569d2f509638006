// TlsContext::NewSession: the Transport of one TLS connection, over OpenSSL's SSL object on
// the connection's non-blocking socket.

#include <errno.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>

#include "http/tls/tls_context.h"

namespace ferry::http {
namespace {

constexpr unsigned char kHandshakeRecord = 0x16;

class TlsTransport final : public Transport {
 public:
  TlsTransport(SSL* ssl, int fd) : ssl_(ssl), fd_(fd) {}
  ~TlsTransport() override { SSL_free(ssl_); }

  Result Handshake() override {
    if (!peeked_) {
      Result first = PeekFirstByte();
      if (first != Result::kOk) return first;
      peeked_ = true;
    }
    ERR_clear_error();
    const int rc = SSL_do_handshake(ssl_);
    if (rc == 1) {
      established_ = true;
      return Result::kOk;
    }
    return Failed(rc);
  }

  // Reads records until `size` bytes are in or the socket has no more: one SSL_read gives
  // at most one record (16 KiB), and the caller's buffer is usually larger.
  Result Read(char* buffer, size_t size, size_t* n) override {
    *n = 0;
    while (*n < size) {
      ERR_clear_error();
      size_t got = 0;
      const int rc = SSL_read_ex(ssl_, buffer + *n, size - *n, &got);
      if (rc != 1) {
        Result result = Failed(rc);
        return *n > 0 && result != Result::kError ? Result::kOk : result;
      }
      *n += got;
    }
    return Result::kOk;
  }

  Result Write(const char* data, size_t size, size_t* n) override {
    *n = 0;
    ERR_clear_error();
    const int rc = SSL_write_ex(ssl_, data, size, n);
    return rc == 1 ? Result::kOk : Failed(rc);
  }

  void Shutdown() override {
    if (!established_ || failed_ || shut_down_) return;
    shut_down_ = true;
    ERR_clear_error();
    SSL_shutdown(ssl_);  // sends close_notify; the peer's reply is not awaited
    ERR_clear_error();
  }

 private:
  // A TLS client's first byte opens a handshake record; an HTTP client's is a method's
  // letter, answered in plain HTTP by the caller.
  Result PeekFirstByte() {
    unsigned char byte = 0;
    ssize_t n;
    do {
      n = ::recv(fd_, &byte, 1, MSG_PEEK);
    } while (n < 0 && errno == EINTR);
    if (n == 0) return Result::kEof;
    if (n < 0) return errno == EAGAIN ? Result::kWantRead : Result::kError;
    if (byte >= 'A' && byte <= 'Z') return Result::kPlaintext;
    return byte == kHandshakeRecord ? Result::kOk : Result::kError;
  }

  Result Failed(int rc) {
    const int error = SSL_get_error(ssl_, rc);
    ERR_clear_error();
    switch (error) {
      case SSL_ERROR_WANT_READ:
        return Result::kWantRead;
      case SSL_ERROR_WANT_WRITE:
        return Result::kWantWrite;
      case SSL_ERROR_ZERO_RETURN:
        return Result::kEof;
      default:
        failed_ = true;  // no close_notify after a fatal error
        return Result::kError;
    }
  }

  SSL* ssl_;
  int fd_;
  bool peeked_ = false;
  bool established_ = false;
  bool failed_ = false;
  bool shut_down_ = false;
};

}  // namespace

std::unique_ptr<Transport> TlsContext::NewSession(int fd) const {
  SSL* ssl = SSL_new(ctx_);
  if (ssl == nullptr) {
    ERR_clear_error();
    return nullptr;
  }
  if (SSL_set_fd(ssl, fd) != 1) {
    ERR_clear_error();
    SSL_free(ssl);
    return nullptr;
  }
  SSL_set_accept_state(ssl);
  return std::make_unique<TlsTransport>(ssl, fd);
}

}  // namespace ferry::http
