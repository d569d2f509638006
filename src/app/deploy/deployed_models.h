#pragma once
// The inference endpoints inside `ferry server` (DESIGN: one port): the models named by
// --deploy are served on /v2 and /invocations beside the tracking and registry APIs, and
// follow their aliases: every alias or stage change in the registry re-resolves them.
//
// Lifecycle: Create, AddRoutes (before the HTTP server is built), Deploy (after it listens:
// references are resolved through this server's own registry API), Stop (before the stores
// close). Thread-safe where the registry calls it (OnRegistryEvent).
//
// Canary: each models:/NAME@ALIAS also follows models:/NAME@<--canary-alias> (default
// "challenger") as a canary challenger with --canary-percent of the requests; while that
// alias is not set there is no challenger. GET /api/ferry/v1/deployments shows each arm's
// figures; POST /api/ferry/v1/deployments/NAME/canary sets the share (ferry promote).

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/deploy/deployment_watcher.h"
#include "app/deploy/load_trust.h"
#include "app/monitoring/live_monitoring.h"
#include "cli/cli.h"
#include "common/status.h"
#include "http/handlers/blocking_worker.h"
#include "http/router.h"
#include "registry/registry_events.h"
#include "runtime/family.h"
#include "serving/prediction_log.h"
#include "serving/serving_service.h"

namespace ferry::app {

// The live monitoring entry of `deployment` (an element of GET
// /api/ferry/v1/monitoring/deployments) as JSON; "" when `monitoring` is null or has none.
std::string MonitoringEntryJson(LiveMonitoring* monitoring, const std::string& deployment);

class DeployedModels : public registry::RegistryObserver {
 public:
  // `cache_dir`: where packages fetched from the registry are kept; `monitoring_dir`: live
  // monitoring's history unless --monitor-dir names another.
  static absl::StatusOr<std::unique_ptr<DeployedModels>> Create(const cli::ServerConfig& config,
                                                                std::string cache_dir,
                                                                const std::string& monitoring_dir);
  ~DeployedModels() override;

  void AddRoutes(http::Router& router);
  // Adds text to the /metrics answer (after the inference series). Call before serving.
  void AddMetricsSource(std::function<void(std::string*)> source);
  // Alert events of live monitoring also go here (webhooks). Call before Deploy.
  void SetAlertSink(AlertSink sink);
  // Loads every --deploy reference through this server's registry (at its --host, or
  // loopback when it listens on every address, and `port`). A reference that cannot be
  // loaded is logged (deployment_failed), shown as ferry_deployment_ready 0 on /metrics and
  // retried with backoff; the server stays up.
  // `authorization`: this process's own credential for its registry under --auth ("" without).
  // `tls_cert_file`: the server's --tls-cert ("" without): its registry is then reached over
  // https, trusting exactly that certificate.
  absl::Status Deploy(int port, const std::string& authorization = "",
                      const std::string& tls_cert_file = "");
  // The names of the deployments served now.
  std::vector<std::string> Models() const;
  void Stop();

  // RegistryObserver
  void OnRegistryEvent(const registry::RegistryEvent& event) override;

 private:
  DeployedModels(std::vector<std::string> refs, std::string host, std::string cache_dir)
      : refs_(std::move(refs)), host_(std::move(host)), cache_dir_(std::move(cache_dir)) {}
  // The canary challenger target that follows `ref`'s model at canary_alias_, if any.
  std::optional<WatchTarget> CanaryTarget(const std::string& ref) const;

  std::vector<std::string> refs_;
  std::string canary_alias_;
  int canary_percent_ = 0;
  std::string host_;
  std::string cache_dir_;
  runtime::FamilyRegistry families_;
  LoadTrust trust_;  // the server's --trust-policy and --allow-unsigned-pickle
  std::unique_ptr<serving::PredictionLog> log_;
  std::unique_ptr<LiveMonitoring> monitoring_;  // with --deploy, unless --monitor off
  serving::PredictionObserverList observers_;
  std::unique_ptr<serving::ServingService> service_;
  // Decodes and runs large inference bodies off the event loops; goes before service_.
  std::unique_ptr<http::BlockingWorker> worker_;
  std::unique_ptr<DeploymentWatcher> watcher_;
  std::atomic<DeploymentWatcher*> live_watcher_{nullptr};
};

}  // namespace ferry::app
