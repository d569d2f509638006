#include "auth/serve_tokens.h"

#include <algorithm>
#include <set>

#include "auth/secrets.h"
#include "common/sha256.h"
#include "common/strings.h"

namespace ferry::auth {
namespace {

constexpr std::string_view kSha256Prefix = "sha256:";
constexpr size_t kMinPlaintext = 16;
constexpr size_t kMaxPlaintext = 256;
constexpr size_t kMaxName = 64;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// The whitespace-separated fields of a line.
std::vector<std::string_view> Fields(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && IsSpace(line[i])) ++i;
    size_t start = i;
    while (i < line.size() && !IsSpace(line[i])) ++i;
    if (i > start) fields.push_back(line.substr(start, i - start));
  }
  return fields;
}

bool ValidName(std::string_view name) {
  if (name.empty() || name.size() > kMaxName) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

absl::Status AddScope(std::string_view scope, ServeToken& token) {
  if (scope == "admin") {
    token.admin = true;
  } else if (scope == "metrics") {
    token.metrics = true;
  } else if (scope == "infer") {
    token.infer_all = true;
  } else if (StartsWith(scope, "infer:") && scope.size() > 6) {
    token.infer_models.emplace_back(scope.substr(6));
  } else {
    return absl::InvalidArgumentError(
        StrCat("scope '", scope, "': expected infer, infer:MODEL, metrics or admin"));
  }
  return absl::OkStatus();
}

// The lowercase hex SHA-256 a SECRET field stands for. Messages never quote the field.
absl::StatusOr<std::string> SecretHash(std::string_view secret) {
  // The prefix in any case ("SHA256:"), so that it is never taken for a plaintext token.
  if (EqualsIgnoreCase(secret.substr(0, kSha256Prefix.size()), kSha256Prefix)) {
    std::string hex = ToLower(secret.substr(kSha256Prefix.size()));
    const bool valid = hex.size() == 64 && std::all_of(hex.begin(), hex.end(), [](char c) {
                         return HexDigitValue(c) >= 0;
                       });
    if (!valid) return absl::InvalidArgumentError("secret: expected sha256: and 64 hex digits");
    return hex;
  }
  if (secret.size() < kMinPlaintext || secret.size() > kMaxPlaintext) {
    return absl::InvalidArgumentError(StrCat("secret: a plaintext token must have ", kMinPlaintext,
                                             " to ", kMaxPlaintext,
                                             " characters (or give sha256:HEX)"));
  }
  const bool printable = std::all_of(secret.begin(), secret.end(), [](char c) {
    return static_cast<unsigned char>(c) > 0x20 && static_cast<unsigned char>(c) < 0x7f;
  });
  if (!printable) return absl::InvalidArgumentError("secret: only printable ASCII is allowed");
  return Sha256Hex(secret);
}

absl::StatusOr<ServeToken> ParseLine(std::string_view line) {
  std::vector<std::string_view> fields = Fields(line);
  if (fields.size() != 3) {
    return absl::InvalidArgumentError(
        StrCat("expected NAME SCOPE[,SCOPE...] SECRET, got ", fields.size(), " fields"));
  }
  ServeToken token;
  if (!ValidName(fields[0])) {
    return absl::InvalidArgumentError("name: expected 1 to 64 of [A-Za-z0-9._-]");
  }
  token.name = std::string(fields[0]);
  for (std::string_view scope : SplitString(fields[1], ',')) {
    RETURN_IF_ERROR(AddScope(scope, token));
  }
  ASSIGN_OR_RETURN(token.sha256_hex, SecretHash(fields[2]));
  return token;
}

}  // namespace

bool ServeToken::MayInfer(std::string_view model) const {
  if (admin || infer_all) return true;
  return std::find(infer_models.begin(), infer_models.end(), model) != infer_models.end();
}

std::string ServeToken::ScopesText() const {
  std::vector<std::string> scopes;
  if (admin) scopes.push_back("admin");
  if (infer_all) scopes.push_back("infer");
  for (const std::string& model : infer_models) scopes.push_back("infer:" + model);
  if (metrics) scopes.push_back("metrics");
  std::string text;
  for (const std::string& s : scopes) text += (text.empty() ? "" : ",") + s;
  return text;
}

absl::StatusOr<std::vector<ServeToken>> ParseServeTokens(std::string_view text) {
  std::vector<ServeToken> tokens;
  std::set<std::string, std::less<>> names, hashes;
  int number = 0;
  for (std::string_view line : SplitString(text, '\n')) {
    ++number;
    std::vector<std::string_view> fields = Fields(line);
    if (fields.empty() || StartsWith(fields[0], "#")) continue;
    absl::StatusOr<ServeToken> token = ParseLine(line);
    if (token.ok() && !names.insert(token->name).second) {
      token = absl::InvalidArgumentError(StrCat("name '", token->name, "' is already used"));
    }
    if (token.ok() && !hashes.insert(token->sha256_hex).second) {
      token = absl::InvalidArgumentError("secret: the same token is listed twice");
    }
    if (!token.ok()) {
      return absl::InvalidArgumentError(
          StrCat("token file line ", number, ": ", std::string(token.status().message())));
    }
    tokens.push_back(*std::move(token));
  }
  if (tokens.empty()) return absl::InvalidArgumentError("token file: no tokens");
  return tokens;
}

std::string ServeTokenLine(const ServeToken& token) {
  return StrCat(token.name, " ", token.ScopesText(), " ", kSha256Prefix, token.sha256_hex);
}

const ServeToken* ServeTokens::Find(std::string_view presented) const {
  const std::string hash = Sha256Hex(presented);
  const ServeToken* found = nullptr;
  for (const ServeToken& token : tokens_) {
    // Every hash is compared, whichever matched (hashes are unique: at most one does).
    const bool equal = SecretsEqual(hash, token.sha256_hex);
    if (equal) found = &token;
  }
  return found;
}

}  // namespace ferry::auth
