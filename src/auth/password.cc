#include "auth/password.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <optional>
#include <semaphore>
#include <vector>

#include "auth/secrets.h"
#include "common/strings.h"

namespace ferry::auth {
namespace {

constexpr std::string_view kMethod = "scrypt";
constexpr size_t kKeyLength = 64;  // werkzeug's dklen
constexpr size_t kSaltBytes = 16;
constexpr uint64_t kMaxMemory = uint64_t{256} << 20;

// Each derivation holds 128 r N bytes (32 MiB by default) for its whole run, so a burst of
// logins, good or bad, could otherwise take the server's memory: at most this many run at
// once and the rest wait their turn.
constexpr std::ptrdiff_t kMaxConcurrentDerivations = 4;

class DerivationSlot {
 public:
  DerivationSlot() { Slots().acquire(); }
  ~DerivationSlot() { Slots().release(); }
  DerivationSlot(const DerivationSlot&) = delete;
  DerivationSlot& operator=(const DerivationSlot&) = delete;

 private:
  static std::counting_semaphore<kMaxConcurrentDerivations>& Slots() {
    static std::counting_semaphore<kMaxConcurrentDerivations> slots(kMaxConcurrentDerivations);
    return slots;
  }
};

// The memory EVP_PBE_scrypt needs (its B and V arrays): 128 r (N + 2 + p) bytes.
std::optional<uint64_t> MemoryNeeded(const ScryptParams& s) {
  if (s.n < 2 || (s.n & (s.n - 1)) != 0 || s.r == 0 || s.p == 0) return std::nullopt;
  if (s.r > 1024 || s.p > 1024 || s.n > (uint64_t{1} << 24)) return std::nullopt;
  uint64_t need = 128 * s.r * (s.n + 2 + s.p);
  if (need > kMaxMemory) return std::nullopt;
  return need;
}

struct Encoded {
  ScryptParams params;
  std::string_view salt;
  std::string key;  // raw bytes
};

// "scrypt:N:r:p$SALT$HEX" -> its parts; nullopt for anything else.
std::optional<Encoded> ParseEncoded(std::string_view encoded) {
  std::vector<std::string_view> parts = SplitString(encoded, '$');
  if (parts.size() != 3 || parts[1].empty() || parts[2].empty() || parts[2].size() % 2) {
    return std::nullopt;
  }
  std::vector<std::string_view> method = SplitString(parts[0], ':');
  if (method.size() != 4 || method[0] != kMethod) return std::nullopt;
  std::optional<int64_t> n = ParseInt64(method[1]);
  std::optional<int64_t> r = ParseInt64(method[2]);
  std::optional<int64_t> p = ParseInt64(method[3]);
  if (!n || !r || !p || *n <= 0 || *r <= 0 || *p <= 0) return std::nullopt;
  Encoded out{{uint64_t(*n), uint64_t(*r), uint64_t(*p)}, parts[1], {}};
  for (size_t i = 0; i < parts[2].size(); i += 2) {
    int hi = HexDigitValue(parts[2][i]);
    int lo = HexDigitValue(parts[2][i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.key.push_back(static_cast<char>(hi << 4 | lo));
  }
  return out;
}

std::string FormatMethod(const ScryptParams& s) {
  return StrCat(kMethod, ":", s.n, ":", s.r, ":", s.p);
}

}  // namespace

absl::StatusOr<std::string> Scrypt(std::string_view password, std::string_view salt,
                                   const ScryptParams& params, size_t length) {
  std::optional<uint64_t> memory = MemoryNeeded(params);
  if (!memory) {
    return absl::InvalidArgumentError("Unsupported scrypt parameters " + FormatMethod(params));
  }
  std::string key(length, '\0');
  DerivationSlot slot;
  int ok = EVP_PBE_scrypt(password.data(), password.size(),
                          reinterpret_cast<const unsigned char*>(salt.data()), salt.size(),
                          params.n, params.r, params.p, *memory,
                          reinterpret_cast<unsigned char*>(key.data()), key.size());
  if (ok != 1) return absl::InternalError("scrypt failed with " + FormatMethod(params));
  return key;
}

absl::StatusOr<std::string> HashPassword(std::string_view password, const ScryptParams& params) {
  ASSIGN_OR_RETURN(std::string salt_bytes, RandomBytes(kSaltBytes));
  std::string salt = Base64UrlNoPad(salt_bytes);
  ASSIGN_OR_RETURN(std::string key, Scrypt(password, salt, params, kKeyLength));
  return StrCat(FormatMethod(params), "$", salt, "$", HexEncode(key));
}

bool VerifyPassword(std::string_view password, std::string_view encoded) {
  std::optional<Encoded> parsed = ParseEncoded(encoded);
  if (!parsed) return false;
  absl::StatusOr<std::string> key =
      Scrypt(password, parsed->salt, parsed->params, parsed->key.size());
  if (!key.ok()) return false;
  return CRYPTO_memcmp(key->data(), parsed->key.data(), key->size()) == 0;
}

}  // namespace ferry::auth
