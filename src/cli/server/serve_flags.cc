#include "cli/server/serve_flags.h"

#include <cstdlib>

#include "cli/flags.h"
#include "cli/server/server_limits.h"
#include "common/fs.h"
#include "common/status.h"
#include "common/strings.h"

namespace ferry::cli {
namespace {

constexpr char kServeUsage[] =
    "ferry serve (models:/NAME@ALIAS | models:/NAME/VERSION | models:/NAME/STAGE |\n"
    "             models:/NAME/latest | runs:/RUN_ID/PATH | PACKAGE | MLFLOW_DIR) [flags]";
constexpr char kServeDescription[] =
    "Serves a model over the Open Inference Protocol v2 (/v2/models/NAME/infer), MLflow's\n"
    "scoring protocol (/invocations, /ping, /health, /version) and Prometheus /metrics.\n"
    "PACKAGE is a package layout directory or .tar; MLFLOW_DIR an MLflow model directory\n"
    "(holding MLmodel; runs:/ fetches one from a run); models:/ and runs:/ references are\n"
    "resolved at --tracking-uri. Python-backend MLflow models (pickles) load only from a\n"
    "package signed under --trust-policy, or with --allow-unsigned-pickle. An alias, stage\n"
    "or latest reference is watched: when it moves (poll, or a registry webhook to POST\n"
    "/api/ferry/v1/hooks/registry) the new version is loaded, warmed and swapped in without\n"
    "failing a request. With --auth every route but the health probes needs a Bearer token\n"
    "from --token-file; a --host beyond loopback needs --auth or --insecure-no-auth.";

constexpr char kPredictUsage[] =
    "ferry predict (PACKAGE | MLFLOW_DIR | runs:/RUN_ID/PATH | models:/NAME@ALIAS |\n"
    "               models:/NAME/V | models:/NAME/STAGE | models:/NAME/latest) [flags]";
constexpr char kPredictDescription[] =
    "Loads the model, reads one request from stdin and writes the answer to stdout.\n"
    "The request is an Open Inference Protocol v2 body ({\"inputs\": [{\"name\", \"shape\",\n"
    "\"datatype\", \"data\"}]}: the answer is an OIP response) or an MLflow /invocations\n"
    "body (dataframe_split, dataframe_records, instances or inputs; with --csv, CSV with a\n"
    "header: the answer is {\"predictions\": ...}). Exits 1 with the error on stderr.";

// The flags of Python-backend models: who may load pickles, and how they run.
void DeclareTrustFlags(FlagSet& f) {
  f.String("trust-policy", "",
           "trust policy file: a package's signature must verify under it before the pickles "
           "of a Python-backend model load");
  f.Bool(kAllowUnsignedPickleFlag, kAllowUnsignedPickleHelp);
  DeclarePythonFlags(f);
}

void DeclareRegistryFlags(FlagSet& f) {
  f.TrackingUri("registry for models:/ references");
  f.String("cache-dir", DefaultPackageCache(), "where fetched packages are kept");
}

void DeclareServeAuthFlags(FlagSet& f) {
  f.Bool("auth",
         "require a Bearer token from --token-file on every route but the health probes "
         "(scopes: infer, infer:MODEL, metrics, admin; docs/AUTH.md)");
  f.String("token-file", "",
           "with --auth: lines NAME SCOPE[,SCOPE] SECRET (SECRET: sha256:HEX or the token); "
           "created with an admin and an infer token, shown once, when it does not exist");
  f.Bool("insecure-no-auth",
         "allow listening on a non-loopback address without --auth (anyone who reaches the "
         "port can run and control the model)");
}

absl::StatusOr<ServeAuthFlags> ServeAuthFlagsFrom(const FlagSet& f) {
  ServeAuthFlags auth;
  auth.enabled = f.GetBool("auth");
  auth.insecure_no_auth = f.GetBool("insecure-no-auth");
  auth.token_file = f.Get("token-file");
  if (auth.enabled && auth.insecure_no_auth) {
    return absl::InvalidArgumentError("give --auth or --insecure-no-auth, not both");
  }
  if (auth.enabled && auth.token_file.empty()) {
    return absl::InvalidArgumentError(
        "--auth needs --token-file FILE (created with new tokens if it does not exist)");
  }
  if (!auth.enabled && !auth.token_file.empty()) {
    return absl::InvalidArgumentError("--token-file needs --auth");
  }
  return auth;
}

void DeclareServeFlags(FlagSet& f) {
  f.String("host", "127.0.0.1", "address to listen on");
  f.String("port", "8080", "port to listen on (0: any free port)");
  f.String("threads", "0", "event-loop threads (0: one per core, at least 2)");
  f.String("name", "", "model name on the wire (default: the registered or package name)");
  f.String("canary", "", "a challenger (models:/... or PACKAGE) taking --canary-percent");
  f.String("canary-percent", "10", "share of requests (0-100) sent to the canary");
  f.String("shadow", "", "a challenger receiving a copy of every request (outputs logged)");
  f.String("max-batch-size", "auto",
           "dynamic batching: rows per batch (0: off; auto: the model's default, 64 for "
           "sklearn and xgboost models in Python workers, off otherwise)");
  f.String("max-queue-delay-us", "0", "dynamic batching: longest wait for a fuller batch");
  f.String("max-queue-size", "1024", "queued requests per version before 503 + Retry-After");
  f.String("batch-workers", "1", "threads executing batches per version");
  f.String("prediction-log", "", "directory for the prediction log (JSON lines; off if empty)");
  f.String("log-sample-rate", "1", "share of predictions logged (0-1)");
  f.String("poll-seconds", "10",
           "how often a moving reference is re-resolved (0: only on webhook)");
  DeclareRegistryFlags(f);
  DeclareTrustFlags(f);
  f.Bool("no-access-log", "do not log a line per request");
  DeclareServerLimitFlags(f);
  DeclareLiveMonitorFlags(f);
  DeclareUiFlags(f);
  DeclareServeAuthFlags(f);
}

absl::StatusOr<ServeConfig> ServeConfigFromFlags(const FlagSet& f) {
  ServeConfig c;
  c.model = f.positional()[0];
  c.name = f.Get("name");
  c.canary = f.Get("canary");
  c.shadow = f.Get("shadow");
  if (!c.canary.empty() && !c.shadow.empty()) {
    return absl::InvalidArgumentError("give --canary or --shadow, not both");
  }
  c.host = f.Get("host");
  ASSIGN_OR_RETURN(int64_t port, f.GetInt("port", 0, 65535));
  c.port = static_cast<int>(port);
  ASSIGN_OR_RETURN(int64_t threads, f.GetInt("threads", 0, 256));
  c.threads = static_cast<int>(threads);
  c.access_log = !f.GetBool("no-access-log");
  if (f.Get("max-batch-size") == "auto") {
    c.max_batch_size = kAutoBatchSize;
  } else {
    ASSIGN_OR_RETURN(int64_t batch, f.GetInt("max-batch-size", 0, 1 << 20));
    c.max_batch_size = static_cast<int>(batch);
  }
  ASSIGN_OR_RETURN(c.max_queue_delay_us, f.GetInt("max-queue-delay-us", 0, 10000000));
  ASSIGN_OR_RETURN(int64_t queue, f.GetInt("max-queue-size", 1, 1 << 24));
  c.max_queue_size = static_cast<int>(queue);
  ASSIGN_OR_RETURN(int64_t workers, f.GetInt("batch-workers", 1, 64));
  c.batch_workers = static_cast<int>(workers);
  ASSIGN_OR_RETURN(int64_t percent, f.GetInt("canary-percent", 0, 100));
  c.canary_percent = static_cast<int>(percent);
  ASSIGN_OR_RETURN(c.poll_seconds, f.GetInt("poll-seconds", 0, 86400));
  c.prediction_log = f.Get("prediction-log");
  char* end = nullptr;
  c.log_sample_rate = std::strtod(f.Get("log-sample-rate").c_str(), &end);
  if (*end != '\0' || !(c.log_sample_rate >= 0 && c.log_sample_rate <= 1)) {
    return absl::InvalidArgumentError("--log-sample-rate: expected a number in [0, 1]");
  }
  c.tracking_uri = f.Get("tracking-uri");
  c.cache_dir = f.Get("cache-dir");
  c.trust_policy = f.Get("trust-policy");
  c.allow_unsigned_pickle = f.GetBool(kAllowUnsignedPickleFlag);
  ASSIGN_OR_RETURN(c.limits, ServerLimitsFromFlags(f));
  ASSIGN_OR_RETURN(c.monitor, LiveMonitorConfigFromFlags(f));
  ASSIGN_OR_RETURN(c.python, PythonFlagsFrom(f));
  ASSIGN_OR_RETURN(c.ui, UiFlagsFrom(f));
  ASSIGN_OR_RETURN(c.auth, ServeAuthFlagsFrom(f));
  return c;
}

}  // namespace

int ServeCommand(const std::vector<std::string>& args,
                 const std::function<int(const ServeConfig&)>& run) {
  FlagSet flags(kServeUsage, kServeDescription);
  DeclareServeFlags(flags);
  if (auto exit = flags.ParseCommand("ferry serve", args)) return *exit;
  if (flags.positional().size() != 1) {
    return flags.UsageError("ferry serve", "give one model reference or package");
  }
  auto config = ServeConfigFromFlags(flags);
  if (!config.ok()) return flags.UsageError("ferry serve", std::string(config.status().message()));
  return run(*config);
}

int PredictCommand(const std::vector<std::string>& args,
                   const std::function<int(const PredictConfig&)>& run) {
  FlagSet flags(kPredictUsage, kPredictDescription);
  flags.Bool("csv", "stdin is CSV with a header row (MLflow's text/csv)");
  DeclareRegistryFlags(flags);
  DeclareTrustFlags(flags);
  if (auto exit = flags.ParseCommand("ferry predict", args)) return *exit;
  if (flags.positional().size() != 1) {
    return flags.UsageError("ferry predict", "give one package or model reference");
  }
  auto python = PythonFlagsFrom(flags);
  if (!python.ok())
    return flags.UsageError("ferry predict", std::string(python.status().message()));
  return run({flags.positional()[0], flags.GetBool("csv"), flags.Get("tracking-uri"),
              flags.Get("cache-dir"), flags.Get("trust-policy"),
              flags.GetBool(kAllowUnsignedPickleFlag), *python});
}

std::string DefaultPackageCache() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) {
    return JoinPath(xdg, "ferry/packages");
  }
  if (const char* home = std::getenv("HOME"); home && *home) {
    return JoinPath(home, ".cache/ferry/packages");
  }
  return "/tmp/ferry-cache/packages";
}

}  // namespace ferry::cli
