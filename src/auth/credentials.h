#pragma once
// Parsing an Authorization header into the credentials it carries (RFC 7617 Basic, RFC 6750
// Bearer). Schemes are case-insensitive (RFC 7235 §2.1); the Basic user-id ends at the first
// ':' (RFC 7617 §2), so a password may contain ':' and a username may not.

#include <string>
#include <string_view>
#include <variant>

#include "common/status.h"

namespace ferry::auth {

struct BasicCredentials {
  std::string username;
  std::string password;
};

struct BearerCredentials {
  std::string token;
};

using Credentials = std::variant<BasicCredentials, BearerCredentials>;

// kUnauthenticated with AuthService's reasons: "Unsupported authorization scheme" for a scheme
// other than Basic or Bearer (or no header), "Invalid username or password" for Basic
// credentials that are not base64 of "user:password", "Unknown token" for an empty Bearer.
absl::StatusOr<Credentials> ParseAuthorization(std::string_view header);

}  // namespace ferry::auth
