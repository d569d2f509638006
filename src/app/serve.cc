// `ferry serve SOURCE`: an inference server for one model (plus an optional canary or
// shadow challenger) over OIP v2, MLflow's scoring protocol and /metrics.

#include "app/serve.h"

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "app/deployment_watcher.h"
#include "app/http_options.h"
#include "app/stop_signals.h"
#include "app/version_resolver.h"
#include "cli/flags.h"
#include "cli/server_limits.h"
#include "common/clock.h"
#include "common/logging.h"
#include "common/strings.h"
#include "http/handlers/inference/serving_routes.h"
#include "http/http_server.h"
#include "runtime/family.h"
#include "serving/prediction_log.h"
#include "serving/serving_service.h"

namespace ferry::app {
namespace {

constexpr char kUsage[] =
    "ferry serve (models:/NAME@ALIAS | models:/NAME/VERSION | PACKAGE) [flags]";
constexpr char kDescription[] =
    "Serves a model over the Open Inference Protocol v2 (/v2/models/NAME/infer), MLflow's\n"
    "scoring protocol (/invocations, /ping, /health, /version) and Prometheus /metrics.\n"
    "PACKAGE is a package layout directory or .tar; models:/ references are resolved by\n"
    "the registry at --tracking-uri. An alias is watched: when it moves (poll, or a registry\n"
    "webhook to POST /api/ferry/v1/hooks/registry) the new version is loaded, warmed and\n"
    "swapped in without failing a request.";

void DeclareFlags(cli::FlagSet& f) {
  f.String("host", "127.0.0.1", "address to listen on");
  f.String("port", "8080", "port to listen on (0: any free port)");
  f.String("threads", "0", "event-loop threads (0: one per core, at least 2)");
  f.String("name", "", "model name on the wire (default: the registered or package name)");
  f.String("canary", "", "a challenger (models:/... or PACKAGE) taking --canary-percent");
  f.String("canary-percent", "10", "share of requests (0-100) sent to the canary");
  f.String("shadow", "", "a challenger receiving a copy of every request (outputs logged)");
  f.String("max-batch-size", "0", "dynamic batching: rows per batch (0: off, run inline)");
  f.String("max-queue-delay-us", "500", "dynamic batching: longest wait for a fuller batch");
  f.String("max-queue-size", "1024", "queued requests per version before 503 + Retry-After");
  f.String("batch-workers", "1", "threads executing batches per version");
  f.String("prediction-log", "", "directory for the prediction log (JSON lines; off if empty)");
  f.String("log-sample-rate", "1", "share of predictions logged (0-1)");
  f.String("poll-seconds", "10", "how often an alias is re-resolved (0: only on webhook)");
  const char* env_uri = std::getenv("MLFLOW_TRACKING_URI");
  f.String("tracking-uri", env_uri && *env_uri ? env_uri : "http://127.0.0.1:5000",
           "registry for models:/ references (or MLFLOW_TRACKING_URI)");
  f.String("cache-dir", DefaultPackageCache(), "where fetched packages are kept");
  f.Bool("no-access-log", "do not log a line per request");
  cli::DeclareServerLimitFlags(f);
}

struct ServeOptions {
  http::ServerOptions server;
  serving::BatchingOptions batching;
  serving::PredictionLogOptions log;
  int canary_percent = 10;
  int64_t poll_seconds = 10;
};

absl::StatusOr<int64_t> IntFlag(const cli::FlagSet& f, const std::string& name, int64_t lo,
                                int64_t hi) {
  auto v = ParseInt64(f.Get(name));
  if (!v || *v < lo || *v > hi) {
    return absl::InvalidArgumentError("--" + name + ": expected an integer in [" +
                                      std::to_string(lo) + ", " + std::to_string(hi) + "]");
  }
  return *v;
}

absl::StatusOr<ServeOptions> OptionsFromFlags(const cli::FlagSet& f) {
  ServeOptions o;
  ASSIGN_OR_RETURN(int64_t port, IntFlag(f, "port", 0, 65535));
  ASSIGN_OR_RETURN(int64_t threads, IntFlag(f, "threads", 0, 256));
  ASSIGN_OR_RETURN(cli::ServerLimits limits, cli::ServerLimitsFromFlags(f));
  ASSIGN_OR_RETURN(
      o.server, MakeServerOptions(f.Get("host"), static_cast<int>(port), static_cast<int>(threads),
                                  !f.GetBool("no-access-log"), limits));
  ASSIGN_OR_RETURN(int64_t batch, IntFlag(f, "max-batch-size", 0, 1 << 20));
  o.batching.max_batch_size = static_cast<int>(batch);
  ASSIGN_OR_RETURN(o.batching.max_queue_delay_us, IntFlag(f, "max-queue-delay-us", 0, 10000000));
  ASSIGN_OR_RETURN(int64_t queue, IntFlag(f, "max-queue-size", 1, 1 << 24));
  o.batching.max_queue_size = static_cast<int>(queue);
  ASSIGN_OR_RETURN(int64_t workers, IntFlag(f, "batch-workers", 1, 64));
  o.batching.workers = static_cast<int>(workers);
  ASSIGN_OR_RETURN(int64_t percent, IntFlag(f, "canary-percent", 0, 100));
  o.canary_percent = static_cast<int>(percent);
  ASSIGN_OR_RETURN(o.poll_seconds, IntFlag(f, "poll-seconds", 0, 86400));
  o.log.directory = f.Get("prediction-log");
  char* end = nullptr;
  o.log.sample_rate = std::strtod(f.Get("log-sample-rate").c_str(), &end);
  if (*end != '\0' || !(o.log.sample_rate >= 0 && o.log.sample_rate <= 1)) {
    return absl::InvalidArgumentError("--log-sample-rate: expected a number in [0, 1]");
  }
  if (!f.Get("canary").empty() && !f.Get("shadow").empty()) {
    return absl::InvalidArgumentError("give --canary or --shadow, not both");
  }
  return o;
}

// Everything `ferry serve` runs, in construction order (destroyed in reverse).
class ServeProcess {
 public:
  absl::Status Start(const cli::FlagSet& f, const ServeOptions& o) {
    runtime::AddBuiltinFamilies(families_);
    if (!o.log.directory.empty()) {
      ASSIGN_OR_RETURN(log_, serving::PredictionLog::Create(o.log, SystemClock(), SystemRandom()));
    }
    service_ = std::make_unique<serving::ServingService>(PackageLoader(families_), SystemClock(),
                                                         SystemRandom(), log_.get());
    if (log_) service_->AddMetricsSource([this](std::string* out) { log_->RenderMetrics(out); });
    const std::string tracking = f.Get("tracking-uri"), cache = f.Get("cache-dir");
    watcher_ = std::make_unique<DeploymentWatcher>(
        service_->manager(),
        [tracking, cache](const std::string& uri) { return ResolveVersion(uri, tracking, cache); },
        std::chrono::seconds(o.poll_seconds));
    RETURN_IF_ERROR(AddTargets(f, o));
    worker_ = std::make_unique<http::BlockingWorker>("large inference", 2, 8);
    http::AddServingRoutes(router_, *service_, SystemClock(), true, worker_.get());
    router_.Add("POST", "/api/ferry/v1/hooks/registry", [this](http::HttpRequest&) {
      watcher_->Poke();
      return http::HttpResponse::Json(200, "{}");
    });
    request_metrics_ = std::make_unique<http::RequestMetrics>(router_);
    service_->AddMetricsSource([this](std::string* out) {
      request_metrics_->Render(out);
      server_->RenderConnectionMetrics(out);
    });
    http::ServerOptions server_options = o.server;
    server_options.metrics = request_metrics_.get();
    ASSIGN_OR_RETURN(server_, http::HttpServer::Create(server_options, router_));
    server_->Start();
    watcher_->Start();
    return absl::OkStatus();
  }

  int port() const { return server_->port(); }
  const std::string& deployment() const { return deployment_; }
  void Shutdown() {
    if (server_) server_->Shutdown(10000);
  }

 private:
  absl::Status AddTargets(const cli::FlagSet& f, const ServeOptions& o) {
    WatchTarget primary{f.Get("name"), f.positional()[0], false, {}, o.batching};
    ASSIGN_OR_RETURN(deployment_, watcher_->Add(primary));
    const bool shadow = !f.Get("shadow").empty();
    const std::string challenger = shadow ? f.Get("shadow") : f.Get("canary");
    if (challenger.empty()) return absl::OkStatus();
    serving::ChallengerPolicy policy;
    policy.mode = shadow ? serving::ChallengerMode::kShadow : serving::ChallengerMode::kCanary;
    policy.canary_percent = o.canary_percent;
    return watcher_->Add({deployment_, challenger, true, policy, o.batching}).status();
  }

  runtime::FamilyRegistry families_;
  std::unique_ptr<serving::PredictionLog> log_;
  std::unique_ptr<serving::ServingService> service_;
  std::unique_ptr<http::BlockingWorker> worker_;  // large inference bodies, off the loops
  std::unique_ptr<DeploymentWatcher> watcher_;
  http::Router router_;
  std::unique_ptr<http::RequestMetrics> request_metrics_;
  std::unique_ptr<http::HttpServer> server_;
  std::string deployment_;
};

}  // namespace

int ServeCommand(const std::vector<std::string>& args) {
  cli::FlagSet flags(kUsage, kDescription);
  DeclareFlags(flags);
  if (absl::Status s = flags.Parse(args); !s.ok()) {
    std::fprintf(stderr, "ferry serve: %s\n\n%s", std::string(s.message()).c_str(),
                 flags.Help().c_str());
    return 2;
  }
  if (flags.help_requested()) {
    std::printf("%s", flags.Help().c_str());
    return 0;
  }
  auto options = OptionsFromFlags(flags);
  if (flags.positional().size() != 1 || !options.ok()) {
    std::fprintf(stderr, "ferry serve: %s\n\n%s",
                 options.ok() ? "give one model reference or package"
                              : std::string(options.status().message()).c_str(),
                 flags.Help().c_str());
    return 2;
  }
  const sigset_t stop_signals = BlockStopSignals();
  WarnIfExposed("ferry serve", options->server.host);
  FitOpenFileLimit("ferry serve", &options->server.max_connections);
  ServeProcess process;
  if (absl::Status s = process.Start(flags, *options); !s.ok()) {
    std::fprintf(stderr, "ferry serve: %s\n", std::string(s.message()).c_str());
    return 1;
  }
  std::printf("Serving %s on http://%s:%d (OIP /v2/models/%s/infer, /invocations)\n",
              process.deployment().c_str(), options->server.host.c_str(), process.port(),
              process.deployment().c_str());
  std::fflush(stdout);
  WaitForStopSignal(stop_signals);
  process.Shutdown();
  return 0;
}

}  // namespace ferry::app
