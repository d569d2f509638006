#include "cli/cli.h"

#include <cstdio>
#include <vector>

#include "cli/demo/demo_command.h"
#include "cli/flags.h"
#include "cli/init/init_command.h"
#include "cli/lineage/lineage_command.h"
#include "cli/maturity/maturity_command.h"
#include "cli/monitor/monitor_command.h"
#include "cli/package/package_command.h"
#include "cli/package/package_trust_command.h"
#include "cli/pipeline/pipeline_command.h"
#include "cli/server/serve_flags.h"
#include "common/strings.h"

namespace ferry::cli {
namespace {

constexpr char kTopHelp[] =
    "Ferry " FERRY_VERSION
    ": the machine-learning lifecycle in one binary.\n"
    "\n"
    "Usage: ferry <command> [flags]\n"
    "\n"
    "Commands:\n"
    "  demo       The whole loop on this machine: train, serve, drift, retrain through\n"
    "             the pipeline, canary, promote (about a minute; the README's main command)\n"
    "  server     Run the tracking server (MLflow REST API, artifact proxy, model\n"
    "             registry, packages) and serve deployed models\n"
    "  run        Run a command as a tracked run: logs its command line, git commit,\n"
    "             exit status, duration and output to the tracking server\n"
    "  keys       Generate signing keys for packages\n"
    "  package    Build, inspect, sign, verify, push, pull, export, import and unpack\n"
    "             model packages (OCI layouts with a CNCF ModelPack manifest)\n"
    "  models     The model registry: list, show, register, alias, stage\n"
    "  users      Users of a `ferry server --auth`: create, show, me, password, admin,\n"
    "             delete\n"
    "  permissions  A user's grant on an experiment or a model: grant, show, revoke\n"
    "  tokens     Access tokens for MLFLOW_TRACKING_TOKEN: create, list, revoke\n"
    "  workspaces Roles per workspace for users and OIDC groups: members list, set,\n"
    "             remove\n"
    "  train      Train a model (linear, logistic, xgboost, recommender, external) on CSV\n"
    "             or JSON lines; logs the run, builds the package, registers it\n"
    "  evaluate   The metrics a package's training measured, as JSON (for gates)\n"
    "  serve      Serve a model: Open Inference Protocol v2, /invocations, /metrics;\n"
    "             follows an alias (hot swap), canary and shadow challengers\n"
    "  predict    Answer one request from stdin with a package and exit (serverless)\n"
    "  monitor    Data validation, profiles, drift and bias on files: schema, validate,\n"
    "             profile, drift, report\n"
    "  pipeline   Run pipelines (pipeline.yaml: validate, train, evaluate, package,\n"
    "             sign, register, gate, promote and command steps) with a step cache:\n"
    "             run, status, logs, cancel, list, gc\n"
    "  init       Write a project that runs as created: pipeline.yaml, data, schema,\n"
    "             README and CI snippets (templates: tabular, recommender)\n"
    "  maturity   Assess a project (and its server) on the ML Test Score's 28 tests and\n"
    "             Google's MLOps levels 0/1/2: the evidence found and what is missing\n"
    "  lineage    What produced a model version, what was trained on a dataset (file or\n"
    "             digest), the graph around a run: from the server's lineage API\n"
    "  gate       The evaluation gate: a candidate's metrics against thresholds and the\n"
    "             champion's (TFX Evaluator semantics); writes a blessing\n"
    "  promote    Canary promotion by registry aliases: watch, then promote or roll back\n"
    "  export-c   Write a linear or tree model as dependency-free C99 (microcontrollers)\n"
    "  data       Generate data sets: sessions (planted structure and drift, deterministic)\n"
    "  version    Print Ferry's version\n"
    "\n"
    "Run `ferry <command> --help` for the flags of a command.\n";

int ServerCommand(const std::vector<std::string>& args, const Hooks& hooks) {
  FlagSet flags("ferry server [flags]",
                "Serves the MLflow 2.x tracking REST API (/api/2.0/mlflow, /ajax-api/2.0/mlflow)\n"
                "and the artifact proxy (/api/2.0/mlflow-artifacts) on one port. Unmodified\n"
                "MLflow clients work against it. Stop it with SIGTERM or Ctrl-C: it drains\n"
                "requests in flight, then closes the store.");
  flags.String("host", "127.0.0.1", "address to listen on");
  flags.String("port", "5000", "port to listen on (0 picks a free one)");
  flags.String("backend-store-uri", "sqlite:///ferry-data/ferry.db",
               "metadata store URI: sqlite:///relative/path.db or sqlite:////absolute/path.db");
  flags.String("artifacts-destination", "./ferry-data/artifacts",
               "where the artifact proxy stores artifact bytes: file:///ABS, a path, or "
               "s3://BUCKET/PREFIX (credentials and region from AWS_ACCESS_KEY_ID, "
               "AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION)");
  flags.String("s3-endpoint-url", "",
               "an S3-compatible server for s3:// artifacts (MinIO, Ceph; default "
               "$MLFLOW_S3_ENDPOINT_URL, else AWS)");
  flags.String("default-artifact-root", "",
               "root of new experiments' artifact locations (default: mlflow-artifacts:/ "
               "with --serve-artifacts, else ./mlruns)");
  flags.Bool("serve-artifacts", "serve the artifact proxy /api/2.0/mlflow-artifacts (default)");
  flags.Bool("no-serve-artifacts",
             "do not serve the artifact proxy: clients read and write the artifact root "
             "themselves");
  flags.Bool("artifacts-only", "serve only the artifact proxy (no tracking or registry API)");
  flags.String("sync", "normal",
               "SQLite commit durability: normal (kill -9 loses nothing, a power cut can lose "
               "the last commits) or full (fsync at every commit; slower ingest)");
  flags.String("workers", "0", "event-loop threads (0: one per core, at least 2)");
  flags.Bool("quiet", "do not log one line per request");
  flags.String("trust-policy", "",
               "trust policy file: packages and model versions are verified against it");
  flags.Bool(kAllowUnsignedPickleFlag, kAllowUnsignedPickleHelp);
  DeclarePythonFlags(flags);
  flags.Bool("require-signed-packages",
             "fail every model version whose source is not a package that verifies");
  flags.Bool("enable-workspaces",
             "experiments, runs, registered models, webhooks and lineage live in workspaces, "
             "chosen by the X-MLFLOW-WORKSPACE header (default: `default`); another "
             "workspace's answer 404; with --auth, roles per workspace (docs/AUTH.md, "
             "Workspaces)");
  flags.Repeated("deploy",
                 "serve models:/NAME@ALIAS (or /VERSION) on /v2 and /invocations, following "
                 "the alias as it moves (repeatable)");
  flags.String("canary-alias", "challenger",
               "each --deploy models:/NAME@ALIAS also serves models:/NAME@<this alias>, while "
               "it is set, as a canary challenger (empty: none)");
  flags.String("canary-percent", "10",
               "the canary's share of requests, 0-100 (POST /api/ferry/v1/deployments/NAME/"
               "canary changes it)");
  flags.String("prediction-log", "", "directory for the prediction log of deployed models");
  flags.String("webhook-allow-hosts", "",
               "internal hosts, addresses or CIDRs webhooks may reach, comma-separated "
               "(loopback, private and link-local ones are refused otherwise)");
  DeclareServerLimitFlags(flags);
  DeclareLiveMonitorFlags(flags);
  DeclareUiFlags(flags);
  DeclareAuthFlags(flags);
  if (auto exit = flags.ParseCommand("ferry server", args, 0)) return *exit;
  ServerConfig config;
  config.host = flags.Get("host");
  auto port = ParseInt64(flags.Get("port"));
  auto workers = ParseInt64(flags.Get("workers"));
  if (!port || *port < 0 || *port > 65535) {
    std::fprintf(stderr, "ferry server: --port must be 0-65535, got '%s'\n",
                 flags.Get("port").c_str());
    return 2;
  }
  if (!workers || *workers < 0 || *workers > 256) {
    std::fprintf(stderr, "ferry server: --workers must be 0-256\n");
    return 2;
  }
  if (flags.Get("sync") != "normal" && flags.Get("sync") != "full") {
    std::fprintf(stderr, "ferry server: --sync must be normal or full, got '%s'\n",
                 flags.Get("sync").c_str());
    return 2;
  }
  config.sync_full = flags.Get("sync") == "full";
  config.port = static_cast<int>(*port);
  config.threads = static_cast<int>(*workers);
  config.backend_store_uri = flags.Get("backend-store-uri");
  config.artifacts_destination = flags.Get("artifacts-destination");
  config.s3_endpoint_url = flags.Get("s3-endpoint-url");
  config.default_artifact_root = flags.Get("default-artifact-root");
  config.serve_artifacts = !flags.GetBool("no-serve-artifacts");
  config.artifacts_only = flags.GetBool("artifacts-only");
  if (flags.GetBool("serve-artifacts") && !config.serve_artifacts) {
    std::fprintf(stderr, "ferry server: give --serve-artifacts or --no-serve-artifacts\n");
    return 2;
  }
  if (config.artifacts_only && !config.serve_artifacts) {
    std::fprintf(stderr,
                 "ferry server: --artifacts-only serves the artifact proxy; drop "
                 "--no-serve-artifacts\n");
    return 2;
  }
  config.deploy = flags.GetAll("deploy");
  if (config.artifacts_only && !config.deploy.empty()) {
    std::fprintf(stderr, "ferry server: --deploy needs the registry; drop --artifacts-only\n");
    return 2;
  }
  config.canary_alias = flags.Get("canary-alias");
  auto canary_percent = ParseInt64(flags.Get("canary-percent"));
  if (!canary_percent || *canary_percent < 0 || *canary_percent > 100) {
    std::fprintf(stderr, "ferry server: --canary-percent must be 0-100, got '%s'\n",
                 flags.Get("canary-percent").c_str());
    return 2;
  }
  config.canary_percent = static_cast<int>(*canary_percent);
  config.prediction_log = flags.Get("prediction-log");
  config.webhook_allow_hosts = flags.Get("webhook-allow-hosts");
  config.access_log = !flags.GetBool("quiet");
  config.trust_policy = flags.Get("trust-policy");
  config.require_signed_packages = flags.GetBool("require-signed-packages");
  config.enable_workspaces = flags.GetBool("enable-workspaces");
  config.allow_unsigned_pickle = flags.GetBool(kAllowUnsignedPickleFlag);
  auto python = PythonFlagsFrom(flags);
  if (!python.ok()) {
    std::fprintf(stderr, "ferry server: %s\n", std::string(python.status().message()).c_str());
    return 2;
  }
  config.python = *python;
  auto ui = UiFlagsFrom(flags);
  if (!ui.ok()) {
    std::fprintf(stderr, "ferry server: %s\n", std::string(ui.status().message()).c_str());
    return 2;
  }
  config.ui = *ui;
  auto auth = AuthFlagsFrom(flags);
  if (!auth.ok()) {
    std::fprintf(stderr, "ferry server: %s\n", std::string(auth.status().message()).c_str());
    return 2;
  }
  config.auth = *auth;
  if (config.require_signed_packages && config.trust_policy.empty()) {
    std::fprintf(stderr, "ferry server: --require-signed-packages needs --trust-policy FILE\n");
    return 2;
  }
  auto limits = ServerLimitsFromFlags(flags);
  if (!limits.ok()) {
    std::fprintf(stderr, "ferry server: %s\n", std::string(limits.status().message()).c_str());
    return 2;
  }
  config.limits = *std::move(limits);
  auto monitor = LiveMonitorConfigFromFlags(flags);
  if (!monitor.ok()) {
    std::fprintf(stderr, "ferry server: %s\n", std::string(monitor.status().message()).c_str());
    return 2;
  }
  config.monitor = *std::move(monitor);
  return hooks.run_server(config);
}

}  // namespace

int Main(int argc, char** argv, const Hooks& hooks) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::fputs(kTopHelp, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  std::string command = args[0];
  args.erase(args.begin());
  if (command == "server") return ServerCommand(args, hooks);
  if (command == "demo") return DemoCommand(args);
  if (command == "run") return RunCommand(args);
  if (command == "keys") return KeysCommand(args);
  if (command == "package") return PackageCommand(args);
  if (command == "models") return ModelsCommand(args);
  if (command == "users") return UsersCommand(args);
  if (command == "permissions") return PermissionsCommand(args);
  if (command == "tokens") return TokensCommand(args);
  if (command == "workspaces") return WorkspacesCommand(args);
  if (command == "train") return TrainCommand(args);
  if (command == "export-c") return ExportCCommand(args);
  if (command == "evaluate") return EvaluateCommand(args);
  if (command == "gate") return GateCommand(args);
  if (command == "promote") return PromoteCommand(args);
  if (command == "data") return DataCommand(args);
  if (command == "monitor") return MonitorCommand(args);
  if (command == "pipeline") return PipelineCommand(args);
  if (command == "init") return InitCommand(args);
  if (command == "maturity") return MaturityCommand(args);
  if (command == "lineage") return LineageCommand(args);
  if (command == "serve" && hooks.serve) return ServeCommand(args, hooks.serve);
  if (command == "predict" && hooks.predict) return PredictCommand(args, hooks.predict);
  if (command == "version" || command == "--version") {
    std::printf("ferry %s\n", FERRY_VERSION);
    return 0;
  }
  std::fprintf(stderr, "ferry: unknown command '%s'\n\n%s", command.c_str(), kTopHelp);
  return 2;
}

}  // namespace ferry::cli
