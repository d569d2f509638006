#include "package/distribution/registry_credentials.h"

#include <sys/stat.h>

#include <cstdlib>
#include <optional>

#include "common/fs.h"
#include "common/json.h"
#include "common/strings.h"

namespace ferry::package {
namespace {

std::string EnvOrEmpty(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

std::string DockerConfigPath() {
  if (std::string dir = EnvOrEmpty("DOCKER_CONFIG"); !dir.empty()) return dir + "/config.json";
  if (std::string home = EnvOrEmpty("HOME"); !home.empty()) return home + "/.docker/config.json";
  return "";
}

// "https://host:port/v1/" -> "host:port".
std::string KeyHost(std::string_view key) {
  for (std::string_view scheme : {"https://", "http://"}) {
    if (StartsWith(key, scheme)) key.remove_prefix(scheme.size());
  }
  return std::string(key.substr(0, key.find('/')));
}

absl::StatusOr<RegistryCredentials> FromAuthsEntry(const JsonValue& entry,
                                                   const std::string& path) {
  RegistryCredentials credentials;
  credentials.source = path;
  const JsonValue* auth = entry.Find("auth");
  if (auth != nullptr && auth->is_string() && !auth->as_string().empty()) {
    std::optional<std::string> decoded = Base64Decode(auth->as_string());
    const size_t colon = decoded ? decoded->find(':') : std::string::npos;
    if (colon == std::string::npos) {
      return absl::InvalidArgumentError(path +
                                        ": an \"auth\" entry is not base64 of user:password");
    }
    credentials.username = decoded->substr(0, colon);
    credentials.password = decoded->substr(colon + 1);
    return credentials;
  }
  const JsonValue* username = entry.Find("username");
  const JsonValue* password = entry.Find("password");
  if (username != nullptr && username->is_string()) credentials.username = username->as_string();
  if (password != nullptr && password->is_string()) credentials.password = password->as_string();
  return credentials;
}

absl::StatusOr<RegistryCredentials> FromDockerConfig(const std::string& registry) {
  const std::string path = DockerConfigPath();
  struct stat info {};
  if (path.empty() || ::stat(path.c_str(), &info) != 0) return RegistryCredentials();
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) return absl::InvalidArgumentError(path + ": cannot be read");
  absl::StatusOr<JsonValue> doc = ParseJson(*text);
  if (!doc.ok() || !doc->is_object()) {
    return absl::InvalidArgumentError(path + ": not a JSON object");
  }
  const JsonValue* auths = doc->Find("auths");
  if (auths == nullptr || !auths->is_object()) return RegistryCredentials();
  // `docker login` files Docker Hub's credentials under https://index.docker.io/v1/, while
  // its distribution API is registry-1.docker.io.
  const bool hub = registry == "registry-1.docker.io" || registry == "docker.io";
  for (const auto& [key, entry] : auths->members()) {
    const std::string host = KeyHost(key);
    if ((host == registry || (hub && host == "index.docker.io")) && entry.is_object()) {
      return FromAuthsEntry(entry, path);
    }
  }
  return RegistryCredentials();
}

}  // namespace

std::string RegistryCredentials::BasicAuthorization() const {
  return "Basic " + Base64Encode(username + ":" + password);
}

absl::StatusOr<RegistryCredentials> FindRegistryCredentials(const std::string& registry) {
  if (std::string username = EnvOrEmpty("FERRY_REGISTRY_USERNAME"); !username.empty()) {
    return RegistryCredentials{username, EnvOrEmpty("FERRY_REGISTRY_PASSWORD"),
                               "FERRY_REGISTRY_USERNAME/PASSWORD"};
  }
  return FromDockerConfig(registry);
}

}  // namespace ferry::package
