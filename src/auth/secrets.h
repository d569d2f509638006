#pragma once
// Random secrets for authentication: salts, access tokens, token ids and generated passwords.
// Every byte comes from OpenSSL's CSPRNG (RAND_bytes), never from common/clock.h's Random,
// which is a seeded Mersenne Twister. Thread-safe.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "common/sha256.h"
#include "common/status.h"

namespace ferry::auth {

// `n` random bytes. kInternal if OpenSSL's generator fails (it is not seeded).
absl::StatusOr<std::string> RandomBytes(size_t n);

// Whether two secrets are equal, in time that depends only on their lengths (common/sha256.h).
using ::ferry::SecretsEqual;

// RFC 4648 §5 base64url without padding ('-' and '_' for '+' and '/').
std::string Base64UrlNoPad(std::string_view bytes);
// Its inverse, strictly: only [A-Za-z0-9_-], no padding, and the canonical form (unused
// trailing bits zero), so one value has one spelling. nullopt otherwise.
std::optional<std::string> Base64UrlDecode(std::string_view text);

// An access token's plaintext: "ferry_" + base64url of 32 random bytes (43 characters).
absl::StatusOr<std::string> NewTokenPlaintext();
inline constexpr std::string_view kTokenPrefix = "ferry_";

// A token's public id: 16 lowercase hex characters (64 random bits).
absl::StatusOr<std::string> NewTokenId();

// `length` characters drawn uniformly from [A-Za-z0-9] (about 5.95 bits each).
absl::StatusOr<std::string> NewPassword(size_t length);

}  // namespace ferry::auth
