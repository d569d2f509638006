#pragma once
// Password hashing with scrypt (RFC 7914) through OpenSSL.
//
// The stored form is werkzeug's, which MLflow's basic-auth store writes:
//   "scrypt:N:r:p$SALT$HEX"
// SALT is used as its bytes (here 22 base64url characters, 128 random bits) and HEX is the
// 64-byte derived key in lowercase hex. The parameters travel with the hash, so they can be
// raised later without invalidating stored passwords, and hashes copied from an MLflow
// basic_auth.db verify here (werkzeug's pbkdf2 method does not; it is not MLflow's default).
//
// Policy (MLflow-compatible): any non-empty password is accepted; there is no minimum length.
// AuthService rejects the empty password before hashing.
//
// Thread-safe. One hash or verification with the default parameters uses 32 MiB and takes
// tens of milliseconds, which is the point; AuthService caches verified credentials. At most
// four derivations run at once (128 MiB); more callers wait for a turn.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace ferry::auth {

struct ScryptParams {
  uint64_t n = 32768;  // CPU/memory cost, a power of two (werkzeug's default)
  uint64_t r = 8;      // block size
  uint64_t p = 1;      // parallelism
};

// The raw scrypt key of `length` bytes. kInvalidArgument for parameters OpenSSL rejects or that
// need more than 256 MiB.
absl::StatusOr<std::string> Scrypt(std::string_view password, std::string_view salt,
                                   const ScryptParams& params, size_t length);

// A fresh random salt and the encoded hash of `password`.
absl::StatusOr<std::string> HashPassword(std::string_view password,
                                         const ScryptParams& params = {});

// True when `encoded` (as HashPassword writes it) is the hash of `password`. The comparison is
// constant-time. False, never an error, for a malformed or unsupported `encoded`.
bool VerifyPassword(std::string_view password, std::string_view encoded);

}  // namespace ferry::auth
