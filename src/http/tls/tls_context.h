#pragma once
// The server side of TLS: a certificate and its key loaded once (OpenSSL's SSL_CTX, shared by
// every loop thread), and a Transport per accepted connection. TLS 1.2 and 1.3 only, ALPN
// "http/1.1", no renegotiation. OpenSSL's headers stay in the .cc files.

#include <memory>
#include <string>

#include "common/status.h"
#include "http/transport.h"

struct ssl_ctx_st;

namespace ferry::http {

class TlsContext {
 public:
  // Loads a PEM certificate (a chain: the server's certificate first) and its PEM private
  // key (unencrypted). kInvalidArgument naming the file and the reason: unreadable, not PEM,
  // an encrypted key, a key that does not match the certificate.
  static absl::StatusOr<std::shared_ptr<const TlsContext>> Load(const std::string& cert_file,
                                                                const std::string& key_file);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  // A server-side session over the accepted, non-blocking socket `fd` (which the caller
  // keeps owning and closes after the transport is destroyed). Null if OpenSSL is out of
  // memory.
  std::unique_ptr<Transport> NewSession(int fd) const;

 private:
  explicit TlsContext(ssl_ctx_st* ctx) : ctx_(ctx) {}
  ssl_ctx_st* ctx_;
};

}  // namespace ferry::http
