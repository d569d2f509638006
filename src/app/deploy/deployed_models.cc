#include "app/deploy/deployed_models.h"

#include "app/deploy/version_resolver.h"
#include "app/families.h"
#include "app/monitoring/history_files.h"
#include "cli/mlflow/model_fetch.h"
#include "cli/mlflow/server_client.h"
#include "common/clock.h"
#include "common/json.h"
#include "common/strings.h"
#include "core/workspace.h"
#include "http/handlers/inference/deployment_handlers.h"
#include "http/handlers/inference/serving_routes.h"
#include "http/handlers/monitoring/monitoring_handlers.h"

namespace ferry::app {

std::string MonitoringEntryJson(LiveMonitoring* monitoring, const std::string& deployment) {
  if (monitoring == nullptr) return "";
  absl::StatusOr<JsonValue> all = ParseJson(monitoring->DeploymentsJson());
  if (!all.ok() || !all->is_array()) return "";
  for (const JsonValue& entry : all->items()) {
    const JsonValue* name = entry.Find("deployment");
    if (name != nullptr && name->is_string() && name->as_string() == deployment) {
      return ToJsonString(entry);
    }
  }
  return "";
}

absl::StatusOr<std::unique_ptr<DeployedModels>> DeployedModels::Create(
    const cli::ServerConfig& config, std::string cache_dir, const std::string& monitoring_dir) {
  auto d = std::unique_ptr<DeployedModels>(
      new DeployedModels(config.deploy, config.host, std::move(cache_dir)));
  d->canary_alias_ = config.canary_alias;
  d->canary_percent_ = config.canary_percent;
  RegisterFamilies(d->families_);
  ASSIGN_OR_RETURN(d->trust_, LoadTrust::Create(config.trust_policy, config.allow_unsigned_pickle));
  if (!config.prediction_log.empty()) {
    serving::PredictionLogOptions options;
    options.directory = config.prediction_log;
    ASSIGN_OR_RETURN(d->log_,
                     serving::PredictionLog::Create(options, SystemClock(), SystemRandom()));
  }
  if (!config.deploy.empty() && config.monitor.mode != cli::MonitorMode::kOff) {
    d->monitoring_ =
        std::make_unique<LiveMonitoring>(config.monitor, SystemClock(), SystemRandom());
    const std::string dir =
        config.monitor.history_dir.empty() ? monitoring_dir : config.monitor.history_dir;
    d->monitoring_->SetHistoryStore(
        std::make_unique<HistoryFiles>(dir, LiveMonitoring::HistoryBounds()));
  }
  d->observers_.Add(d->log_.get());
  d->observers_.Add(d->monitoring_.get());
  d->service_ =
      std::make_unique<serving::ServingService>(PackageLoader(d->families_, d->trust_.options()),
                                                SystemClock(), SystemRandom(), d->observers_.Get());
  DeployedModels* self = d.get();
  d->service_->AddMetricsSource([self](std::string* out) {
    if (DeploymentWatcher* w = self->live_watcher_.load()) w->RenderMetrics(out);
  });
  if (d->log_) {
    serving::PredictionLog* log = d->log_.get();
    d->service_->AddMetricsSource([log](std::string* out) { log->RenderMetrics(out); });
  }
  if (d->monitoring_) {
    LiveMonitoring* m = d->monitoring_.get();
    d->service_->AddMetricsSource([m](std::string* out) { m->RenderMetrics(out); });
  }
  return d;
}

DeployedModels::~DeployedModels() { Stop(); }

void DeployedModels::AddRoutes(http::Router& router) {
  // The tracking server answers /health and /version itself.
  worker_ = std::make_unique<http::BlockingWorker>("large inference", 2, 8);
  http::AddServingRoutes(router, *service_, SystemClock(), /*health_and_version=*/false,
                         worker_.get());
  if (monitoring_)
    http::RegisterMonitoringRoutes(router, *monitoring_, monitoring_->labels_worker());
  http::AddDeploymentRoutes(
      router, service_->manager(), SystemClock(),
      [this](const std::string& name, int percent) {
        DeploymentWatcher* w = live_watcher_.load();
        if (w == nullptr) return absl::UnavailableError("deployments are not loaded yet");
        return w->SetCanaryPercent(name, percent);
      },
      [m = monitoring_.get()](const std::string& name) { return MonitoringEntryJson(m, name); });
}

std::optional<WatchTarget> DeployedModels::CanaryTarget(const std::string& ref) const {
  if (canary_alias_.empty()) return std::nullopt;
  absl::StatusOr<cli::ModelRef> parsed = cli::ParseModelRef(ref);
  if (!parsed.ok() || parsed->alias.empty() || parsed->alias == canary_alias_) return std::nullopt;
  WatchTarget t;
  t.deployment = parsed->name;
  t.uri = StrCat("models:/", parsed->name, "@", canary_alias_);
  t.challenger = true;
  t.policy = {serving::ChallengerMode::kCanary, canary_percent_};
  t.absent_ok = true;
  return t;
}

void DeployedModels::SetAlertSink(AlertSink sink) {
  if (monitoring_) monitoring_->SetAlertSink(std::move(sink));
}

void DeployedModels::AddMetricsSource(std::function<void(std::string*)> source) {
  service_->AddMetricsSource(std::move(source));
}

std::vector<std::string> DeployedModels::Models() const { return service_->Models(); }

absl::Status DeployedModels::Deploy(int port, const std::string& authorization,
                                    const std::string& tls_cert_file) {
  if (refs_.empty()) return absl::OkStatus();
  std::string host = host_;
  if (host.empty() || host == "0.0.0.0" || host == "::") host = "127.0.0.1";
  if (host.find(':') != std::string::npos) host = "[" + host + "]";  // IPv6 literal
  const std::string scheme = tls_cert_file.empty() ? "http://" : "https://";
  const std::string registry = scheme + host + ":" + std::to_string(port);
  if (!authorization.empty() || !tls_cert_file.empty()) {
    cli::SetSelfCredentials(registry, authorization, tls_cert_file);
  }
  const std::string cache = cache_dir_;
  watcher_ = std::make_unique<DeploymentWatcher>(
      service_->manager(),
      [registry, cache](const std::string& uri) { return ResolveVersion(uri, registry, cache); },
      std::chrono::seconds(60));
  // A reference that cannot be loaded now (registry empty, package broken) leaves the
  // tracking server up: it is reported (log, /metrics) and retried with backoff.
  for (const std::string& ref : refs_) {
    watcher_->AddOrRetry({"", ref, false, {}, {}}).IgnoreError();
    if (auto canary = CanaryTarget(ref)) watcher_->AddOrRetry(*std::move(canary)).IgnoreError();
  }
  watcher_->Start();
  live_watcher_ = watcher_.get();
  if (monitoring_) monitoring_->Start(service_->manager());
  return absl::OkStatus();
}

void DeployedModels::Stop() {
  live_watcher_ = nullptr;
  watcher_.reset();
  if (monitoring_) monitoring_->Stop();  // its worker reads the service's manager
}

void DeployedModels::OnRegistryEvent(const registry::RegistryEvent& event) {
  if (event.type != registry::RegistryEventType::kModelVersionAliasSet &&
      event.type != registry::RegistryEventType::kModelVersionAliasDeleted &&
      event.type != registry::RegistryEventType::kModelVersionStageChanged) {
    return;
  }
  // Deployments name `default`'s models (models:/NAME@alias); another workspace's `NAME`
  // is another model.
  if (event.workspace != kDefaultWorkspace) return;
  if (DeploymentWatcher* w = live_watcher_.load()) w->OnRegistryChange();
}

}  // namespace ferry::app
