#include "auth/jwt.h"

#include <cmath>
#include <optional>
#include <vector>

#include "auth/secrets.h"
#include "common/strings.h"

namespace ferry::auth {
namespace {

// Seconds since the epoch beyond which a NumericDate is refused (year 5138): keeps the
// conversion to milliseconds far from overflow.
constexpr double kMaxNumericDate = 1e11;

absl::Status Malformed(std::string_view why) {
  return absl::UnauthenticatedError(StrCat("Malformed token: ", why));
}

std::vector<std::string_view> SplitDots(std::string_view token) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t dot = token.find('.'); dot != std::string_view::npos; dot = token.find('.', start)) {
    parts.push_back(token.substr(start, dot - start));
    start = dot + 1;
  }
  parts.push_back(token.substr(start));
  return parts;
}

// A base64url part that decodes to a JSON object.
absl::StatusOr<JsonValue> JsonPart(std::string_view part, std::string_view what) {
  std::optional<std::string> bytes = Base64UrlDecode(part);
  if (!bytes) return Malformed(StrCat("the ", what, " is not base64url"));
  absl::StatusOr<JsonValue> json = ParseJson(*bytes);
  if (!json.ok() || !json->is_object()) {
    return Malformed(StrCat("the ", what, " is not a JSON object"));
  }
  return json;
}

absl::Status ReadHeader(const JsonValue& header, Jwt& jwt) {
  const JsonValue* alg = header.Find("alg");
  if (alg == nullptr || !alg->is_string()) return Malformed("no \"alg\"");
  ASSIGN_OR_RETURN(jwt.algorithm, ParseJwsAlgorithm(alg->as_string()));
  if (header.Find("crit") != nullptr) return Malformed("a \"crit\" header is not understood");
  if (const JsonValue* kid = header.Find("kid"); kid != nullptr) {
    if (!kid->is_string()) return Malformed("\"kid\" is not a string");
    jwt.has_kid = true;
    jwt.kid = kid->as_string();
  }
  return absl::OkStatus();
}

// A NumericDate claim in milliseconds; nullopt when absent.
absl::StatusOr<std::optional<int64_t>> TimeClaim(const JsonValue& claims, std::string_view name) {
  const JsonValue* v = claims.Find(name);
  if (v == nullptr) return std::nullopt;
  if (!v->is_number()) return Malformed(StrCat("\"", name, "\" is not a number"));
  const double seconds = v->as_double();
  if (!std::isfinite(seconds) || std::fabs(seconds) > kMaxNumericDate) {
    return Malformed(StrCat("\"", name, "\" is out of range"));
  }
  return static_cast<int64_t>(std::floor(seconds * 1000));
}

bool HasAudience(const JsonValue& claims, std::string_view audience) {
  const JsonValue* aud = claims.Find("aud");
  if (aud == nullptr) return false;
  if (aud->is_string()) return aud->as_string() == audience;
  if (!aud->is_array()) return false;
  for (const JsonValue& item : aud->items()) {
    if (item.is_string() && item.as_string() == audience) return true;
  }
  return false;
}

}  // namespace

bool LooksLikeJwt(std::string_view token) {
  return SplitDots(token).size() == 3 && !StartsWith(token, kTokenPrefix);
}

absl::StatusOr<Jwt> ParseJwt(std::string_view token) {
  if (token.size() > kMaxJwtBytes) return Malformed(StrCat("more than ", kMaxJwtBytes, " bytes"));
  const std::vector<std::string_view> parts = SplitDots(token);
  if (parts.size() != 3) return Malformed("not three dot-separated parts");
  Jwt jwt;
  ASSIGN_OR_RETURN(JsonValue header, JsonPart(parts[0], "header"));
  RETURN_IF_ERROR(ReadHeader(header, jwt));
  ASSIGN_OR_RETURN(jwt.claims, JsonPart(parts[1], "claims set"));
  std::optional<std::string> signature = Base64UrlDecode(parts[2]);
  if (!signature || signature->empty()) return Malformed("the signature is not base64url");
  jwt.signature = std::move(*signature);
  jwt.signing_input = std::string(token.substr(0, parts[0].size() + 1 + parts[1].size()));
  return jwt;
}

absl::StatusOr<int64_t> CheckClaims(const JsonValue& claims, const JwtExpectations& expect,
                                    int64_t now_ms) {
  const JsonValue* iss = claims.Find("iss");
  if (iss == nullptr || !iss->is_string() || iss->as_string() != expect.issuer) {
    return absl::UnauthenticatedError("Wrong issuer");
  }
  if (!HasAudience(claims, expect.audience)) return absl::UnauthenticatedError("Wrong audience");
  ASSIGN_OR_RETURN(std::optional<int64_t> exp, TimeClaim(claims, "exp"));
  ASSIGN_OR_RETURN(std::optional<int64_t> nbf, TimeClaim(claims, "nbf"));
  ASSIGN_OR_RETURN(std::optional<int64_t> iat, TimeClaim(claims, "iat"));
  if (!exp) return absl::UnauthenticatedError("Token has no expiry");
  if (now_ms >= *exp + expect.leeway_ms) return absl::UnauthenticatedError("Token expired");
  for (const std::optional<int64_t>& start : {nbf, iat}) {
    if (start && now_ms + expect.leeway_ms < *start) {
      return absl::UnauthenticatedError("Token not yet valid");
    }
  }
  return *exp;
}

}  // namespace ferry::auth
