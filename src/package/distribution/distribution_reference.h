#pragma once
// OCI image references for push and pull: "host:port/repo/path[:tag][@sha256:<hex>]",
// optionally prefixed with "http://" or "https://". Without a prefix the registry is reached
// over https, except a loopback one (localhost, 127.0.0.0/8, [::1]), which docker and oras
// also treat as plain http. The registry part is required (Ferry has no default
// registry); it is the part before the first '/' and must contain '.' or ':' or be
// "localhost", as docker and oras decide. Repository components follow the distribution
// spec grammar ([a-z0-9]+ separated by '.', '_', '__' or '-' runs, joined by '/').

#include <string>
#include <string_view>

#include "common/status.h"

namespace ferry::package {

struct DistributionReference {
  std::string registry;    // "127.0.0.1:5000"
  std::string repository;  // "models/iris"
  std::string tag;         // may be empty
  std::string digest;      // "sha256:<hex>"; may be empty
  bool https = true;       // false for an http:// prefix or a loopback registry

  // "https://<registry>" or "http://<registry>".
  std::string BaseUrl() const { return (https ? "https://" : "http://") + registry; }
  // "<registry>/<repository>", the docker-reference a signature names.
  std::string Name() const { return registry + "/" + repository; }
  // What to put after /manifests/: the digest when there is one (a pinned digest wins over
  // the tag, as in docker), else the tag.
  std::string TagOrDigest() const { return digest.empty() ? tag : digest; }
  // The canonical text form.
  std::string ToString() const;
};

// kInvalidArgument saying which part is wrong.
absl::StatusOr<DistributionReference> ParseDistributionReference(std::string_view text);

}  // namespace ferry::package
