#pragma once
// Ferry's command line: `ferry <command> [flags]`. Commands that need concrete stores or the
// HTTP server are given to it by app/ as hooks, keeping the dependency direction
// app -> cli -> services.

#include <functional>
#include <string>
#include <vector>

#include "cli/server/auth_flags.h"
#include "cli/server/monitor_flags.h"
#include "cli/server/serve_flags.h"
#include "cli/server/server_limits.h"

namespace ferry::cli {

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 5000;
  std::string backend_store_uri;      // default sqlite:///ferry-data/ferry.db (relative)
  std::string artifacts_destination;  // default ./ferry-data/artifacts; or s3://bucket/prefix
  std::string s3_endpoint_url;        // --s3-endpoint-url: an S3-compatible server
  // MLflow's server habits: the root new experiments' artifact locations are made under
  // (empty: the proxy, "mlflow-artifacts:", with serve_artifacts, else ./mlruns), whether
  // the artifact proxy is served, and serving nothing but it.
  std::string default_artifact_root;
  bool serve_artifacts = true;
  bool artifacts_only = false;
  bool sync_full = false;  // --sync full: SQLite synchronous=FULL (fsync every commit)
  int threads = 0;
  bool access_log = true;
  int webhook_backoff_ms = 500;  // first webhook retry delay, doubled per retry
  // Internal hosts, addresses and CIDRs webhook deliveries may reach (comma-separated);
  // loopback, private and link-local addresses are refused unless listed.
  std::string webhook_allow_hosts;
  // Model versions whose source is a package are verified against this trust policy
  // (signature by an allowed key, provenance) before they become READY.
  std::string trust_policy;
  // Versions whose source is not a package that verifies fail registration.
  bool require_signed_packages = false;
  // Deployed Python-backend models load pickles from unsigned packages too.
  bool allow_unsigned_pickle = false;
  PythonFlags python;  // --python, --python-workers, --python-timeout
  UiFlags ui;          // --no-ui, --ui-dir
  AuthFlags auth;      // --auth, --insecure-no-auth, --auth-default-permission
  // Experiments (and what follows them) live in the workspace of X-MLFLOW-WORKSPACE.
  bool enable_workspaces = false;
  // Models served in-process (models:/NAME@ALIAS | models:/NAME/V), following their aliases.
  std::vector<std::string> deploy;
  // Every deployed models:/NAME@ALIAS also follows models:/NAME@<canary_alias> as a canary
  // challenger taking canary_percent of the requests while that alias is set (empty: none).
  std::string canary_alias = "challenger";
  int canary_percent = 10;
  std::string prediction_log;  // directory; empty: no prediction log
  LiveMonitorConfig monitor;   // --monitor*: live monitoring of the deployed models
  // Slow-client deadlines, connection caps and the Host allowlist (--allowed-hosts ...).
  ServerLimits limits;
};

struct Hooks {
  // Runs the server until SIGTERM/SIGINT; returns the process exit code.
  std::function<int(const ServerConfig&)> run_server;
  // `ferry serve` and `ferry predict` (flags parsed in serve_flags; composed in app/ over
  // runtime, serving and http).
  std::function<int(const ServeConfig&)> serve;
  std::function<int(const PredictConfig&)> predict;
};

// Returns the process exit code: 0 success, 1 failure, 2 usage error.
int Main(int argc, char** argv, const Hooks& hooks);

// `ferry train`.
int TrainCommand(const std::vector<std::string>& args);
// `ferry evaluate` (evaluate_command.cc).
int EvaluateCommand(const std::vector<std::string>& args);
// `ferry gate` (gate_command.cc): the evaluation gate. 0 passed, 1 failed, 2 usage.
int GateCommand(const std::vector<std::string>& args);
// `ferry promote` (promote_command.cc): canary promotion. 0 promoted, 1 rolled back, 2 usage.
int PromoteCommand(const std::vector<std::string>& args);
// `ferry export-c`.
int ExportCCommand(const std::vector<std::string>& args);

// `ferry data` (data_command.cc): generated data sets.
int DataCommand(const std::vector<std::string>& args);

// `ferry run`: exposed for tests.
int RunCommand(const std::vector<std::string>& args);
// `ferry models ...` (models_command.cc): exposed for tests.
int ModelsCommand(const std::vector<std::string>& args);
// `ferry users`, `ferry permissions` and `ferry tokens` (cli/auth/): a `ferry server --auth`'s
// users, grants and access tokens over its REST API.
int UsersCommand(const std::vector<std::string>& args);
int PermissionsCommand(const std::vector<std::string>& args);
int TokensCommand(const std::vector<std::string>& args);
// `ferry workspaces members list|set|remove`: roles per workspace (cli/auth/).
int WorkspacesCommand(const std::vector<std::string>& args);

}  // namespace ferry::cli
