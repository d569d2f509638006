// `ferry serve SOURCE`: an inference server for one model (plus an optional canary or
// shadow challenger) over OIP v2, MLflow's scoring protocol and /metrics.

#include "app/serve.h"

#include <cstdio>
#include <memory>

#include "app/auth/serve_auth.h"
#include "app/deploy/deployed_models.h"
#include "app/deploy/deployment_watcher.h"
#include "app/deploy/load_trust.h"
#include "app/deploy/version_resolver.h"
#include "app/families.h"
#include "app/http_options.h"
#include "app/monitoring/history_files.h"
#include "app/monitoring/live_monitoring.h"
#include "app/serve_routes.h"
#include "app/stop_signals.h"
#include "auth/serve_tokens.h"
#include "cli/server/serve_flags.h"
#include "cli/server/server_limits.h"
#include "common/clock.h"
#include "common/logging.h"
#include "http/http_server.h"
#include "runtime/family.h"
#include "serving/prediction_log.h"
#include "serving/serving_service.h"

namespace ferry::app {
namespace {

struct ServeOptions {
  http::ServerOptions server;
  serving::BatchingOptions batching;
  serving::PredictionLogOptions log;
};

absl::StatusOr<ServeOptions> OptionsFromConfig(const cli::ServeConfig& c) {
  ServeOptions o;
  ASSIGN_OR_RETURN(o.server, MakeServerOptions(c.host, c.port, c.threads, c.access_log, c.limits));
  static_assert(cli::kAutoBatchSize == serving::kAutoBatch);
  o.batching.max_batch_size = c.max_batch_size;
  o.batching.max_queue_delay_us = c.max_queue_delay_us;
  o.batching.max_queue_size = c.max_queue_size;
  o.batching.workers = c.batch_workers;
  o.log.directory = c.prediction_log;
  o.log.sample_rate = c.log_sample_rate;
  return o;
}

// Everything `ferry serve` runs, in construction order (destroyed in reverse).
class ServeProcess {
 public:
  ~ServeProcess() {
    if (monitoring_) monitoring_->Stop();  // its worker reads the service's manager
  }

  absl::Status Start(const cli::ServeConfig& c, const ServeOptions& o) {
    if (c.auth.enabled) {
      ASSIGN_OR_RETURN(tokens_, LoadServeTokens(c.auth.token_file));
    }
    RegisterFamilies(families_);
    InstallPythonBackend(c.python);
    ASSIGN_OR_RETURN(trust_, LoadTrust::Create(c.trust_policy, c.allow_unsigned_pickle));
    if (!o.log.directory.empty()) {
      ASSIGN_OR_RETURN(log_, serving::PredictionLog::Create(o.log, SystemClock(), SystemRandom()));
    }
    if (c.monitor.mode != cli::MonitorMode::kOff) {
      monitoring_ = std::make_unique<LiveMonitoring>(c.monitor, SystemClock(), SystemRandom());
      if (!c.monitor.history_dir.empty()) {
        monitoring_->SetHistoryStore(
            std::make_unique<HistoryFiles>(c.monitor.history_dir, LiveMonitoring::HistoryBounds()));
      }
    }
    observers_.Add(log_.get());
    observers_.Add(monitoring_.get());
    service_ =
        std::make_unique<serving::ServingService>(PackageLoader(families_, trust_.options()),
                                                  SystemClock(), SystemRandom(), observers_.Get());
    if (log_) service_->AddMetricsSource([this](std::string* out) { log_->RenderMetrics(out); });
    if (monitoring_) {
      monitoring_->Start(service_->manager());
      service_->AddMetricsSource([this](std::string* out) { monitoring_->RenderMetrics(out); });
    }
    const std::string tracking = c.tracking_uri, cache = c.cache_dir;
    watcher_ = std::make_unique<DeploymentWatcher>(
        service_->manager(),
        [tracking, cache](const std::string& uri) { return ResolveVersion(uri, tracking, cache); },
        std::chrono::seconds(c.poll_seconds));
    RETURN_IF_ERROR(AddTargets(c, o));
    worker_ = std::make_unique<http::BlockingWorker>("large inference", 2, 8);
    AddServeRoutes(router_,
                   {service_.get(), worker_.get(), monitoring_.get(), watcher_.get(), c.ui});
    if (tokens_) {
      serving::ServingService* service = service_.get();
      RETURN_IF_ERROR(GuardServeRoutes(router_, *tokens_, [service] { return service->Models(); }));
    }
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
  absl::Status AddTargets(const cli::ServeConfig& c, const ServeOptions& o) {
    WatchTarget primary{c.name, c.model, false, {}, o.batching};
    ASSIGN_OR_RETURN(deployment_, watcher_->Add(primary));
    const bool shadow = !c.shadow.empty();
    const std::string challenger = shadow ? c.shadow : c.canary;
    if (challenger.empty()) return absl::OkStatus();
    serving::ChallengerPolicy policy;
    policy.mode = shadow ? serving::ChallengerMode::kShadow : serving::ChallengerMode::kCanary;
    policy.canary_percent = c.canary_percent;
    // A canary following an alias (models:/NAME@challenger) exists only while the alias is set.
    const bool absent_ok = !shadow && FollowsAlias(challenger);
    return watcher_->Add({deployment_, challenger, true, policy, o.batching, absent_ok}).status();
  }

  runtime::FamilyRegistry families_;
  LoadTrust trust_;
  std::unique_ptr<serving::PredictionLog> log_;
  std::unique_ptr<LiveMonitoring> monitoring_;
  serving::PredictionObserverList observers_;
  std::unique_ptr<serving::ServingService> service_;
  std::unique_ptr<http::BlockingWorker> worker_;  // large inference bodies, off the loops
  std::unique_ptr<DeploymentWatcher> watcher_;
  std::unique_ptr<auth::ServeTokens> tokens_;  // --auth
  http::Router router_;
  std::unique_ptr<http::RequestMetrics> request_metrics_;
  std::unique_ptr<http::HttpServer> server_;
  std::string deployment_;
};

}  // namespace

int ServeCommand(const cli::ServeConfig& config) {
  auto options = OptionsFromConfig(config);
  if (!options.ok()) {
    std::fprintf(stderr, "ferry serve: %s\n", std::string(options.status().message()).c_str());
    return 2;
  }
  if (std::string exposed =
          ExposureError(config.host, config.auth.enabled, config.auth.insecure_no_auth,
                        "run and control its models");
      !exposed.empty()) {
    std::fprintf(stderr, "ferry serve: %s\n", exposed.c_str());
    return 2;
  }
  const sigset_t stop_signals = BlockStopSignals();
  FitOpenFileLimit("ferry serve", &options->server.max_connections);
  ServeProcess process;
  if (absl::Status s = process.Start(config, *options); !s.ok()) {
    std::fprintf(stderr, "ferry serve: %s\n", std::string(s.message()).c_str());
    return 1;
  }
  std::printf("Serving %s on %s://%s:%d (OIP /v2/models/%s/infer, /invocations)\n",
              process.deployment().c_str(), options->server.tls ? "https" : "http",
              config.host.c_str(), process.port(), process.deployment().c_str());
  std::fflush(stdout);
  WaitForStopSignal(stop_signals);
  process.Shutdown();
  return 0;
}

}  // namespace ferry::app
