#pragma once
// Where push and pull find a registry's username and password: FERRY_REGISTRY_USERNAME and
// FERRY_REGISTRY_PASSWORD, else the `auths` entry for the registry in docker's config.json
// (what `docker login` writes: {"auths": {"HOST[:PORT]": {"auth": base64("user:pass")}}}).
// Nothing here prints or logs a password.

#include <string>

#include "common/status.h"

namespace ferry::package {

struct RegistryCredentials {
  std::string username;
  std::string password;
  // Where they came from, for error messages: "FERRY_REGISTRY_USERNAME/PASSWORD" or the
  // config file's path.
  std::string source;

  bool empty() const { return username.empty() && password.empty(); }
  // "Basic base64(username:password)".
  std::string BasicAuthorization() const;
};

// The credentials for `registry` ("host:port"). The environment wins when
// FERRY_REGISTRY_USERNAME is set; the docker config is $DOCKER_CONFIG/config.json or
// ~/.docker/config.json, its key the registry as given, with or without an https:// or
// http:// prefix and a trailing path (Docker Hub's "https://index.docker.io/v1/" serves
// registry-1.docker.io). Empty credentials when none are found. An unreadable
// or malformed config file, or an entry whose "auth" is not base64 "user:pass", is
// kInvalidArgument naming the file (never the secret).
absl::StatusOr<RegistryCredentials> FindRegistryCredentials(const std::string& registry);

}  // namespace ferry::package
