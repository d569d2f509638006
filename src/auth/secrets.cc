#include "auth/secrets.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <cctype>

#include "common/strings.h"

namespace ferry::auth {
namespace {

constexpr std::string_view kAlphanumeric =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

}  // namespace

absl::StatusOr<std::string> RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (n > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    return absl::InternalError("OpenSSL's random generator failed (RAND_bytes)");
  }
  return out;
}

std::string Base64UrlNoPad(std::string_view bytes) {
  std::string out = Base64Encode(bytes);
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return out;
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  std::string standard(text);
  for (char& c : standard) {
    if (c == '-') {
      c = '+';
    } else if (c == '_') {
      c = '/';
    } else if (!std::isalnum(static_cast<unsigned char>(c))) {
      return std::nullopt;
    }
  }
  while (standard.size() % 4 != 0) standard.push_back('=');
  std::optional<std::string> bytes = Base64Decode(standard);
  if (!bytes || Base64UrlNoPad(*bytes) != text) return std::nullopt;
  return bytes;
}

absl::StatusOr<std::string> NewTokenPlaintext() {
  ASSIGN_OR_RETURN(std::string bytes, RandomBytes(32));
  return std::string(kTokenPrefix) + Base64UrlNoPad(bytes);
}

absl::StatusOr<std::string> NewTokenId() {
  ASSIGN_OR_RETURN(std::string bytes, RandomBytes(8));
  return HexEncode(bytes);
}

absl::StatusOr<std::string> NewPassword(size_t length) {
  std::string out;
  out.reserve(length);
  while (out.size() < length) {
    ASSIGN_OR_RETURN(std::string bytes, RandomBytes(length));
    for (unsigned char b : bytes) {
      // 62 * 4 = 248: rejecting 248..255 keeps every character equally likely.
      if (b < 248 && out.size() < length) out.push_back(kAlphanumeric[b % 62]);
    }
  }
  return out;
}

}  // namespace ferry::auth
