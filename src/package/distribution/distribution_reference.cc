#include "package/distribution/distribution_reference.h"

#include <optional>

#include "common/strings.h"
#include "package/layout/oci.h"

namespace ferry::package {
namespace {

// localhost, 127.0.0.0/8 or [::1], with or without a port: reached over plain http unless
// the reference says https://, as docker and oras do.
bool IsLoopbackRegistry(std::string_view registry) {
  std::string_view host = registry;
  if (StartsWith(host, "[")) {
    host = host.substr(0, host.find(']') + 1);
  } else {
    host = host.substr(0, host.find(':'));
  }
  const bool ipv4 = host.find_first_not_of("0123456789.") == std::string_view::npos;
  return host == "localhost" || host == "[::1]" || (ipv4 && StartsWith(host, "127."));
}

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// One path component: [a-z0-9]+ ((\.|_|__|-+) [a-z0-9]+)*
bool ValidComponent(std::string_view c) {
  if (c.empty() || !IsLowerAlnum(c.front()) || !IsLowerAlnum(c.back())) return false;
  for (size_t i = 0; i < c.size(); ++i) {
    if (IsLowerAlnum(c[i])) continue;
    if (c[i] == '-') continue;
    if (c[i] == '.' && IsLowerAlnum(c[i + 1])) continue;
    if (c[i] == '_' && (IsLowerAlnum(c[i + 1]) || (c[i + 1] == '_' && IsLowerAlnum(c[i + 2])))) {
      if (c[i + 1] == '_') ++i;
      continue;
    }
    return false;
  }
  return true;
}

bool ValidTag(std::string_view t) {
  if (t.empty() || t.size() > 128) return false;
  for (size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || (i > 0 && (c == '.' || c == '-'));
    if (!ok) return false;
  }
  return true;
}

bool ValidRegistry(std::string_view r) {
  if (r.empty()) return false;
  for (char c : r) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
    if (!ok) return false;
  }
  return r.find('.') != std::string_view::npos || r.find(':') != std::string_view::npos ||
         r == "localhost";
}

absl::Status RefError(std::string_view text, std::string_view why) {
  return absl::InvalidArgumentError("reference '" + std::string(text) + "': " + std::string(why) +
                                    " (want HOST:PORT/REPOSITORY[:TAG][@sha256:HEX])");
}

}  // namespace

std::string DistributionReference::ToString() const {
  std::string out = Name();
  if (!tag.empty()) out += ":" + tag;
  if (!digest.empty()) out += "@" + digest;
  return out;
}

absl::StatusOr<DistributionReference> ParseDistributionReference(std::string_view text) {
  std::string_view rest = text;
  std::optional<bool> https;
  if (StartsWith(rest, "http://")) {
    rest.remove_prefix(7);
    https = false;
  } else if (StartsWith(rest, "https://")) {
    rest.remove_prefix(8);
    https = true;
  }
  DistributionReference ref;
  size_t at = rest.find('@');
  if (at != std::string_view::npos) {
    ref.digest = std::string(rest.substr(at + 1));
    rest = rest.substr(0, at);
    absl::Status s = ValidateDigest(ref.digest, "digest");
    if (!s.ok()) return RefError(text, StatusMessage(s));
  }
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return RefError(text, "no registry host");
  ref.registry = std::string(rest.substr(0, slash));
  if (!ValidRegistry(ref.registry)) {
    return RefError(text, "'" + ref.registry + "' is not a registry host (HOST:PORT)");
  }
  std::string_view path = rest.substr(slash + 1);
  size_t colon = path.rfind(':');
  if (colon != std::string_view::npos) {
    ref.tag = std::string(path.substr(colon + 1));
    path = path.substr(0, colon);
    if (!ValidTag(ref.tag)) return RefError(text, "invalid tag '" + ref.tag + "'");
  }
  if (path.empty()) return RefError(text, "empty repository");
  for (std::string_view c : SplitString(path, '/')) {
    if (!ValidComponent(c)) {
      return RefError(text, "invalid repository component '" + std::string(c) +
                                "' (lower-case letters, digits, '.', '_', '-')");
    }
  }
  ref.repository = std::string(path);
  if (ref.tag.empty() && ref.digest.empty()) return RefError(text, "no tag or digest");
  ref.https = https.value_or(!IsLoopbackRegistry(ref.registry));
  return ref;
}

}  // namespace ferry::package
