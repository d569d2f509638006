#include "cli/mlflow/server_client.h"

#include <cstdlib>
#include <mutex>

#include "common/strings.h"

namespace ferry::cli {
namespace {

std::mutex self_mu;
std::string self_base;           // guarded by self_mu
std::string self_authorization;  // guarded by self_mu
std::string self_certificate;    // guarded by self_mu

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
  std::lock_guard<std::mutex> lock(self_mu);
  const bool self = !self_base.empty() && (uri == self_base || StartsWith(uri, self_base + "/"));
  client.set_authorization(self ? self_authorization : AuthorizationFromEnv());
  // A server with a private or self-signed certificate (`ferry server --tls-cert`), as
  // MLflow's clients trust it.
  if (std::string ca = Env("MLFLOW_TRACKING_SERVER_CERT_PATH"); !ca.empty() && !self) {
    client.set_ca_file(std::move(ca));
  }
  if (self && !self_certificate.empty()) client.set_pinned_certificate(self_certificate);
  // The workspace MLflow 3's clients name from the same variable (`ferry server
  // --enable-workspaces`); a server without workspaces ignores the header.
  if (std::string ws = Env("MLFLOW_WORKSPACE"); !ws.empty() && !self) {
    client.set_origin_header("X-MLFLOW-WORKSPACE", std::move(ws));
  }
  return client;
}

void SetSelfCredentials(std::string base_uri, std::string authorization, std::string certificate) {
  std::lock_guard<std::mutex> lock(self_mu);
  self_base = std::move(base_uri);
  self_authorization = std::move(authorization);
  self_certificate = std::move(certificate);
}

}  // namespace ferry::cli
