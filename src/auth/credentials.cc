#include "auth/credentials.h"

#include "common/strings.h"

namespace ferry::auth {
namespace {

constexpr std::string_view kSpaces = " \t";

std::string_view Trim(std::string_view s) {
  size_t begin = s.find_first_not_of(kSpaces);
  if (begin == std::string_view::npos) return {};
  return s.substr(begin, s.find_last_not_of(kSpaces) - begin + 1);
}

absl::StatusOr<Credentials> ParseBasic(std::string_view encoded) {
  absl::Status invalid = absl::UnauthenticatedError("Invalid username or password");
  // Some clients leave the padding out.
  std::string padded(encoded);
  while (padded.size() % 4 != 0) padded.push_back('=');
  std::optional<std::string> decoded = Base64Decode(padded);
  if (!decoded) return invalid;
  size_t colon = decoded->find(':');
  if (colon == std::string::npos) return invalid;
  return BasicCredentials{decoded->substr(0, colon), decoded->substr(colon + 1)};
}

}  // namespace

absl::StatusOr<Credentials> ParseAuthorization(std::string_view header) {
  header = Trim(header);
  size_t space = header.find_first_of(kSpaces);
  std::string_view scheme = header.substr(0, space);
  std::string_view rest = space == std::string_view::npos ? "" : Trim(header.substr(space));
  if (EqualsIgnoreCase(scheme, "Basic")) return ParseBasic(rest);
  if (EqualsIgnoreCase(scheme, "Bearer")) {
    if (rest.empty()) return absl::UnauthenticatedError("Unknown token");
    return BearerCredentials{std::string(rest)};
  }
  return absl::UnauthenticatedError("Unsupported authorization scheme");
}

}  // namespace ferry::auth
