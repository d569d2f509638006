#include "http/tls/tls_context.h"

#include <errno.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <string.h>

#include <cstdio>

#include "common/logging.h"

namespace ferry::http {
namespace {

// OpenSSL's reasons for the failure, oldest first ("no start line, PEM lib"), and an empty
// error queue afterwards.
std::string OpenSslReasons() {
  std::string reasons;
  while (unsigned long code = ERR_get_error()) {
    const char* reason = ERR_reason_error_string(code);
    if (reason == nullptr || reasons.find(reason) != std::string::npos) continue;
    if (!reasons.empty()) reasons += ", ";
    reasons += reason;
  }
  return reasons.empty() ? "unknown error" : reasons;
}

// The file's own error before OpenSSL's: missing, unreadable, a directory.
absl::Status CheckReadable(const char* what, const std::string& path) {
  if (path.empty()) return absl::InvalidArgumentError(std::string(what) + ": no file given");
  FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return absl::InvalidArgumentError(std::string(what) + " " + path + ": " + strerror(errno));
  }
  char byte;
  const bool readable = std::fread(&byte, 1, 1, file) == 1 || std::feof(file);
  const int error = errno;
  std::fclose(file);
  if (!readable) {
    return absl::InvalidArgumentError(std::string(what) + " " + path + ": " + strerror(error));
  }
  return absl::OkStatus();
}

// Never prompts on the terminal for an encrypted key's passphrase: loading fails instead.
int NoPassphrase(char*, int, int, void*) { return -1; }

int SelectAlpn(SSL*, const unsigned char** out, unsigned char* out_length,
               const unsigned char* offered, unsigned int offered_length, void*) {
  static const unsigned char kHttp11[] = "\x08http/1.1";
  unsigned char* chosen = nullptr;
  if (SSL_select_next_proto(&chosen, out_length, kHttp11, sizeof(kHttp11) - 1, offered,
                            offered_length) != OPENSSL_NPN_NEGOTIATED) {
    return SSL_TLSEXT_ERR_NOACK;  // no overlap (say, h2 only): go on without ALPN
  }
  *out = chosen;
  return SSL_TLSEXT_ERR_OK;
}

absl::Status LoadFiles(SSL_CTX* ctx, const std::string& cert_file, const std::string& key_file) {
  RETURN_IF_ERROR(CheckReadable("TLS certificate", cert_file));
  RETURN_IF_ERROR(CheckReadable("TLS key", key_file));
  ERR_clear_error();
  if (SSL_CTX_use_certificate_chain_file(ctx, cert_file.c_str()) != 1) {
    return absl::InvalidArgumentError("TLS certificate " + cert_file + ": not a PEM certificate (" +
                                      OpenSslReasons() + ")");
  }
  SSL_CTX_set_default_passwd_cb(ctx, NoPassphrase);
  if (SSL_CTX_use_PrivateKey_file(ctx, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    const std::string reasons = OpenSslReasons();
    if (reasons.find("key values mismatch") != std::string::npos) {
      return absl::InvalidArgumentError("TLS key " + key_file + " does not match the certificate " +
                                        cert_file);
    }
    if (reasons.find("password") != std::string::npos ||
        reasons.find("decrypt") != std::string::npos) {
      return absl::InvalidArgumentError("TLS key " + key_file +
                                        " is encrypted: give the key without a passphrase");
    }
    return absl::InvalidArgumentError("TLS key " + key_file +
                                      ": not an unencrypted PEM private key (" + reasons + ")");
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    ERR_clear_error();
    return absl::InvalidArgumentError("TLS key " + key_file + " does not match the certificate " +
                                      cert_file);
  }
  X509* cert = SSL_CTX_get0_certificate(ctx);
  if (cert != nullptr && X509_cmp_current_time(X509_get0_notAfter(cert)) < 0) {
    LogWarn("the TLS certificate has expired; clients will refuse it", {{"file", cert_file}});
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::shared_ptr<const TlsContext>> TlsContext::Load(const std::string& cert_file,
                                                                   const std::string& key_file) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (ctx == nullptr) return absl::InternalError("TLS: " + OpenSslReasons());
  std::shared_ptr<const TlsContext> context(new TlsContext(ctx));
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_IGNORE_UNEXPECTED_EOF |
                               SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION);
  // Writes return after each record, and a retried write may come from a moved buffer (the
  // output queue's strings grow); idle connections drop their buffers.
  SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                            SSL_MODE_RELEASE_BUFFERS);
  SSL_CTX_set_alpn_select_cb(ctx, SelectAlpn, nullptr);
  RETURN_IF_ERROR(LoadFiles(ctx, cert_file, key_file));
  return context;
}

TlsContext::~TlsContext() { SSL_CTX_free(ctx_); }

}  // namespace ferry::http
