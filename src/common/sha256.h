#pragma once
// Incremental SHA-256 over OpenSSL EVP. Not thread-safe; use one instance per stream.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace ferry {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(const void* data, size_t len);
  void Update(std::string_view s) { Update(s.data(), s.size()); }
  // Returns the 64-char lowercase hex digest. The hasher must not be updated afterwards.
  std::string FinishHex();

 private:
  void* ctx_;  // EVP_MD_CTX*, kept opaque so OpenSSL headers stay out of includers.
};

// One-shot helper.
std::string Sha256Hex(std::string_view data);

// Whether two secrets (tokens, digests, signatures) are equal, in time that depends only on
// their lengths. The one constant-time comparison in Ferry.
bool SecretsEqual(std::string_view a, std::string_view b);

}  // namespace ferry
