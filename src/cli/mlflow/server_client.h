#pragma once
// The HTTP client for a Ferry (or MLflow) tracking server, carrying the credentials MLflow's
// own clients read from the environment (mlflow/utils/rest_utils.py): MLFLOW_TRACKING_USERNAME
// with MLFLOW_TRACKING_PASSWORD as HTTP Basic, which wins when both kinds are set, else
// MLFLOW_TRACKING_TOKEN as a Bearer token; MLFLOW_TRACKING_SERVER_CERT_PATH names the PEM
// certificates to trust for https instead of the system store; MLFLOW_WORKSPACE is sent as
// X-MLFLOW-WORKSPACE (MLflow 3's workspaces). Every `ferry` command that
// talks to a server makes its client here, so a `ferry server --auth` (with --tls-cert)
// needs nothing more than those variables.

#include <string>

#include "common/status.h"
#include "net/http_client.h"

namespace ferry::cli {

absl::StatusOr<net::HttpClient> ServerClient(const std::string& uri);

// The Authorization value those variables give; "" when none is set.
std::string AuthorizationFromEnv();

// A `ferry server --auth` fetching models from its own registry (--deploy) sends its own
// process credential to its own address, whatever the environment says; under --tls-cert
// it trusts exactly its own `certificate` there (HttpClient::set_pinned_certificate). Set
// once at start-up, before any client is made for `base_uri`.
void SetSelfCredentials(std::string base_uri, std::string authorization,
                        std::string certificate = "");

}  // namespace ferry::cli
