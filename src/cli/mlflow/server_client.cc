#include "cli/mlflow/server_client.h"

#include <cstdlib>

#include "common/strings.h"

namespace ferry::cli {
namespace {

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

}  // namespace

std::string AuthorizationFromEnv() {
  const std::string user = Env("MLFLOW_TRACKING_USERNAME");
  const std::string password = Env("MLFLOW_TRACKING_PASSWORD");
  if (!user.empty() && !password.empty()) return "Basic " + Base64Encode(user + ":" + password);
  const std::string token = Env("MLFLOW_TRACKING_TOKEN");
  return token.empty() ? "" : "Bearer " + token;
}

absl::StatusOr<net::HttpClient> ServerClient(const std::string& uri) {
  ASSIGN_OR_RETURN(net::HttpClient client, net::HttpClient::ForUri(uri));
  client.set_authorization(AuthorizationFromEnv());
  return client;
}

}  // namespace ferry::cli
