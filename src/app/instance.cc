#include "app/instance.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <functional>
#include <optional>

#include "app/auth/auth_setup.h"
#include "app/auth/resource_lookup.h"
#include "app/auth/workspace_setup.h"
#include "app/deploy/deployed_models.h"
#include "app/deploy/package_verifier.h"
#include "app/families.h"
#include "app/http_options.h"
#include "app/server_metrics.h"
#include "app/store_factory.h"
#include "app/store_uri.h"
#include "auth/audit_log.h"
#include "common/clock.h"
#include "common/fs.h"
#include "common/logging.h"
#include "common/strings.h"
#include "http/handlers/auth/session.h"
#include "http/handlers/lineage/lineage_handlers.h"
#include "http/handlers/mlflow/package_handlers.h"
#include "http/handlers/mlflow/registry_handlers.h"
#include "http/handlers/mlflow/tracking_handlers.h"
#include "http/handlers/mlflow/trust_policy_handlers.h"
#include "http/handlers/mlflow/ui_handlers.h"
#include "http/handlers/ui/ui_routes.h"
#include "http/http_server.h"
#include "lineage/lineage_service.h"
#include "monitoring/live/live_json.h"
#include "net/destination_policy.h"
#include "package/intake/package_intake.h"
#include "registry/registry_service.h"
#include "registry/webhook_dispatcher.h"
#include "registry/webhook_service.h"
#include "tracking/artifact_file.h"
#include "tracking/artifact_service.h"
#include "tracking/tracking_service.h"

namespace ferry::app {
namespace {

// Threads of the S3 artifact transfer worker: S3 calls in flight at once (each waits on the
// network, not a core).
constexpr int kArtifactThreads = 8;

// Creates `dir` (the directory of the sqlite file, or the artifact root), so that a missing
// or unwritable data dir is reported once, clearly.
absl::Status PrepareDir(const std::string& dir) {
  absl::Status s = MakeDirs(dir);
  if (s.ok() && ::access(dir.c_str(), W_OK) != 0) {
    s = absl::PermissionDeniedError("'" + dir + "' is not writable");
  }
  if (!s.ok()) {
    return absl::PermissionDeniedError(
        "cannot use data directory: " + std::string(s.message()) +
        ". Choose a writable location with --backend-store-uri / --artifacts-destination.");
  }
  return absl::OkStatus();
}

// The root new experiments get their artifact location under, as MLflow's
// --default-artifact-root: given (a local path becomes an absolute file:// URI), else the
// artifact proxy with --serve-artifacts, else ./mlruns.
absl::StatusOr<std::string> DefaultArtifactRoot(const cli::ServerConfig& config) {
  const std::string& root = config.default_artifact_root;
  if (root.empty() && config.serve_artifacts) return std::string("mlflow-artifacts:");
  if (root.find(':') != std::string::npos && !StartsWith(root, "file:")) return root;
  ASSIGN_OR_RETURN(std::string dir, FilePathFromUri(root.empty() ? "mlruns" : root, CurrentDir()));
  return "file://" + dir;
}

}  // namespace

struct Instance::Parts {
  std::unique_ptr<ServerMetrics> metrics;       // outlives the backend, which reports to it
  net::DestinationPolicy webhook_destinations;  // parsed before anything is created
  store::MetadataBackendPtr backend;
  store::ArtifactStorePtr blobs;
  std::unique_ptr<tracking::TrackingService> tracking;
  std::unique_ptr<tracking::ArtifactService> artifacts;
  std::unique_ptr<registry::WebhookDispatcher> webhook_dispatcher;
  std::unique_ptr<registry::RegistryService> registry;
  std::unique_ptr<registry::WebhookService> webhooks;
  std::unique_ptr<lineage::LineageService> lineage;
  std::unique_ptr<PackageVersionVerifier> verifier;
  std::unique_ptr<package::PackageIntake> intake;
  std::unique_ptr<DeployedModels> deployed;  // outlives the registry, which notifies it
  // Package imports run here, off the event loops; stopped before the intake goes.
  std::unique_ptr<http::BlockingWorker> intake_worker;
  std::unique_ptr<http::BlockingWorker> export_worker;  // CSV exports of runs
  // With artifacts in S3: the artifact proxy's uploads and downloads, off the event loops.
  std::unique_ptr<http::BlockingWorker> artifact_worker;
  std::unique_ptr<Auth> auth;             // with --auth
  std::unique_ptr<auth::AuditLog> audit;  // with --auth
  std::unique_ptr<http::RequestObserver> audit_observer;
  http::Router router;
  std::unique_ptr<http::HttpServer> server;
};

Instance::Instance(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

Instance::~Instance() { Shutdown(0); }

int Instance::port() const { return parts_->server->port(); }

absl::StatusOr<std::unique_ptr<Instance>> Instance::Start(const cli::ServerConfig& config) {
  auto destinations = net::DestinationPolicy::Parse(config.webhook_allow_hosts);
  if (!destinations.ok()) {
    return absl::InvalidArgumentError("cannot use --webhook-allow-hosts: " +
                                      std::string(StatusMessage(destinations.status())));
  }
  auto p = std::make_unique<Parts>();
  p->webhook_destinations = *std::move(destinations);
  // Relative paths (sqlite:///ferry.db, ./artifacts) are resolved here, as MLflow does.
  ASSIGN_OR_RETURN(std::string db_path, SqlitePathFromUri(config.backend_store_uri, CurrentDir()));
  const std::string db_dir = db_path.substr(0, db_path.find_last_of('/'));
  // Artifacts in S3 leave this process's own files (model caches, monitoring windows) beside
  // the database; on a file store they sit under its directory.
  const bool s3 = IsS3Uri(config.artifacts_destination);
  std::string artifact_root = JoinPath(db_dir, "local");
  std::string artifacts_uri = config.artifacts_destination;
  if (!s3) {
    ASSIGN_OR_RETURN(artifact_root, FilePathFromUri(config.artifacts_destination, CurrentDir()));
    artifacts_uri = "file://" + artifact_root;
  }
  ASSIGN_OR_RETURN(std::string default_root, DefaultArtifactRoot(config));
  const std::string backend_uri = "sqlite:///" + db_path;  // four slashes: absolute
  RETURN_IF_ERROR(PrepareDir(db_dir));
  RETURN_IF_ERROR(PrepareDir(artifact_root));
  // Artifacts first: a wrong bucket or key stops start-up before a database is created.
  ASSIGN_OR_RETURN(p->blobs, OpenArtifactStore(artifacts_uri, config.s3_endpoint_url));
  ASSIGN_OR_RETURN(p->backend, OpenMetadataBackend(backend_uri, config.sync_full));

  p->artifacts = std::make_unique<tracking::ArtifactService>(*p->blobs, *p->backend, *p->backend,
                                                             SystemClock());
  if (s3) {
    // A thread per S3 call in flight; each connection has at most one job queued.
    p->artifact_worker =
        std::make_unique<http::BlockingWorker>("artifact transfer", kArtifactThreads, 1024);
  }
  if (config.serve_artifacts) {
    http::RegisterArtifactRoutes(p->router, *p->artifacts, p->artifact_worker.get());
  }
  if (!config.artifacts_only) {
    p->tracking =
        std::make_unique<tracking::TrackingService>(*p->backend, SystemClock(), SystemRandom());
    p->tracking->set_default_artifact_root(default_root);
    RETURN_IF_ERROR(StartServices(*p, config, artifact_root));
  }
  http::RegisterHealthRoutes(p->router);
  if (!config.artifacts_only) http::RegisterUiRoutes(p->router, {config.ui.enabled, config.ui.dir});
  if (config.auth.enabled) {
    ASSIGN_OR_RETURN(p->auth, StartAuth(config.auth, *p->backend, p->router,
                                        !config.limits.tls_cert_file.empty()));
    p->audit = StartAudit(*p->backend, p->router);
  }
  http::RegisterSessionStatus(p->router, p->auth ? p->auth->service.get() : nullptr,
                              config.enable_workspaces,
                              config.auth.enabled ? config.auth.oidc_issuer : "");
  if (config.enable_workspaces) {
    RegisterWorkspaces(p->router, *p->backend, p->auth ? p->auth->service.get() : nullptr);
  }
  ASSIGN_OR_RETURN(http::ServerOptions options,
                   MakeServerOptions(config.host, config.port, config.threads, config.access_log,
                                     config.limits));
  AddServerMetrics(*p, options);
  DeployedModels* deployed = p->deployed.get();
  http::ResourceLookup lookup = MakeResourceLookup(p->tracking.get(), [deployed] {
    return deployed != nullptr ? deployed->Models() : std::vector<std::string>();
  });
  // One memory of experiments' workspaces for both checks (roles follow the workspace).
  if (config.enable_workspaces) lookup.experiment_workspace = MakeExperimentWorkspaces(*p->backend);
  std::function<absl::Status()> guard_auth;
  if (p->auth) guard_auth = [&] { return GuardRoutes(p->router, *p->auth, lookup); };
  if (config.enable_workspaces) {
    RETURN_IF_ERROR(GuardWorkspaces(p->router, *p->backend, lookup, guard_auth));
  } else if (guard_auth) {
    RETURN_IF_ERROR(guard_auth());
  }
  if (p->auth) {
    p->audit_observer = MakeAuditObserver(p->router, *p->audit);
    options.observer = p->audit_observer.get();
  }
  ASSIGN_OR_RETURN(p->server, http::HttpServer::Create(options, p->router));
  p->metrics->set_server(p->server.get());
  p->server->Start();
  LogInfo("listening", {{"port", std::to_string(p->server->port())},
                        {"backend_store_uri", backend_uri},
                        {"artifacts_destination", artifacts_uri},
                        {"default_artifact_root", default_root},
                        {"serve_artifacts", config.serve_artifacts ? "true" : "false"},
                        {"artifacts_only", config.artifacts_only ? "true" : "false"}});
  auto instance = std::unique_ptr<Instance>(new Instance(std::move(p)));
  if (instance->parts_->deployed) {
    const Parts& parts = *instance->parts_;
    RETURN_IF_ERROR(parts.deployed->Deploy(instance->port(),
                                           parts.auth ? parts.auth->internal_authorization : "",
                                           config.limits.tls_cert_file));
  }
  return instance;
}

// /metrics: the deployed models' route (inference series first), or a plain one when
// --artifacts-only leaves no models; then per-route requests, connections and store timings.
void Instance::AddServerMetrics(Parts& parts, http::ServerOptions& options) {
  Parts* p = &parts;
  if (!p->deployed) {
    p->router.Add("GET", "/metrics", [p](http::HttpRequest&) {
      std::string out;
      p->metrics->Render(&out);
      return http::HttpResponse::Text(200, std::move(out), "text/plain; version=0.0.4");
    });
  }
  p->metrics = std::make_unique<ServerMetrics>(p->router);  // every route is in by now
  p->backend->SetTimingObserver(p->metrics->store());
  ServerMetrics* metrics = p->metrics.get();
  if (p->deployed) {
    p->deployed->AddMetricsSource([metrics](std::string* out) { metrics->Render(out); });
  }
  options.metrics = metrics->requests();
}

absl::Status Instance::StartServices(Parts& parts, const cli::ServerConfig& config,
                                     const std::string& artifact_root) {
  Parts* p = &parts;
  http::RegisterExperimentRoutes(p->router, *p->tracking);
  http::RegisterRunRoutes(p->router, *p->tracking);
  http::RegisterSearchRoutes(p->router, *p->tracking);
  http::RegisterMetricBucketRoutes(p->router, *p->tracking);
  p->export_worker = std::make_unique<http::BlockingWorker>("runs export", 1, 4);
  http::RegisterRunsExportRoute(p->router, *p->tracking, *p->export_worker);
  http::RegisterRunArtifactListRoute(p->router, *p->artifacts);

  registry::WebhookDispatcherOptions webhook_options;
  webhook_options.initial_backoff_ms = config.webhook_backoff_ms;
  webhook_options.destinations = std::move(p->webhook_destinations);
  p->webhook_dispatcher = std::make_unique<registry::WebhookDispatcher>(
      *p->backend, SystemClock(), SystemRandom(), webhook_options);
  RETURN_IF_ERROR(p->webhook_dispatcher->Start());
  InstallPythonBackend(config.python);
  std::optional<package::TrustPolicy> policy;
  if (!config.trust_policy.empty()) {
    auto loaded = package::TrustPolicy::Load(config.trust_policy);
    if (!loaded.ok()) {
      return absl::InvalidArgumentError(std::string("cannot use --trust-policy: ") +
                                        std::string(StatusMessage(loaded.status())));
    }
    policy = *std::move(loaded);
  }
  // Versions wait in PENDING_REGISTRATION until their package verifies under the policy (their
  // workspace's, else the server's); without one they are READY at once, as in MLflow.
  p->verifier = std::make_unique<PackageVersionVerifier>(*p->backend, *p->blobs, *p->backend,
                                                         policy, config.require_signed_packages);
  p->registry =
      std::make_unique<registry::RegistryService>(*p->backend, SystemClock(), p->verifier.get());
  p->registry->AddObserver(p->webhook_dispatcher.get());
  ASSIGN_OR_RETURN(p->deployed,
                   DeployedModels::Create(config, JoinPath(artifact_root, "serving-cache"),
                                          JoinPath(artifact_root, "monitoring")));
  p->registry->AddObserver(p->deployed.get());
  // Live monitoring's alerts are delivered like registry events, to subscribed webhooks.
  registry::WebhookDispatcher* dispatcher = p->webhook_dispatcher.get();
  p->deployed->SetAlertSink([dispatcher](const monitoring::AlertEvent& a) {
    registry::RegistryEvent e;
    e.type = a.state == "firing" ? registry::RegistryEventType::kMonitoringAlertFiring
                                 : registry::RegistryEventType::kMonitoringAlertResolved;
    e.model_name = a.deployment;
    e.timestamp_ms = SystemClock().NowMillis();
    e.data_json = monitoring::AlertEventJson(a);
    dispatcher->OnRegistryEvent(e);
  });
  tracking::TrackingService* tracking = p->tracking.get();
  p->registry->SetRunArtifactResolver(
      [tracking](const std::string& run_id) -> absl::StatusOr<std::string> {
        ASSIGN_OR_RETURN(Run run, tracking->GetRun(run_id));
        return run.info.artifact_uri;
      });
  tracking::ArtifactService* store = p->artifacts.get();
  p->registry->SetPackageDownloadResolver([store](const std::string& source) -> std::string {
    const std::string dir = source.substr(std::string_view("mlflow-artifacts:/").size()) + "/" +
                            std::string(package::kMlflowModelDir);
    return store->Open(dir + "/MLmodel").ok() ? "mlflow-artifacts:/" + dir : "";
  });
  RETURN_IF_ERROR(p->registry->Start());
  p->webhooks =
      std::make_unique<registry::WebhookService>(*p->backend, SystemClock(), SystemRandom());
  http::RegisterRegisteredModelRoutes(p->router, *p->registry);
  http::RegisterModelVersionRoutes(p->router, *p->registry);
  http::RegisterUiArtifactRoutes(p->router, *p->artifacts, *p->registry, p->artifact_worker.get());
  http::RegisterUiMetricRoutes(p->router, *p->tracking);
  http::RegisterWebhookRoutes(p->router, *p->webhooks);
  p->lineage = std::make_unique<lineage::LineageService>(*p->backend, *p->backend);
  http::RegisterLineageRoutes(p->router, *p->lineage, config.enable_workspaces);
  tracking::ArtifactService* artifacts = p->artifacts.get();
  p->intake = std::make_unique<package::PackageIntake>(
      JoinPath(artifact_root, "intake"), std::move(policy),
      [artifacts](const std::string& rel, const std::string& local) {
        return tracking::StoreLocalFile(*artifacts, rel, local);
      });
  // One import at a time (they are disk-bound), four more waiting; then 503 + Retry-After.
  p->intake_worker = std::make_unique<http::BlockingWorker>("package intake", 1, 4);
  http::RegisterPackageRoutes(p->router, *p->intake, p->intake_worker.get(), p->backend.get());
  http::RegisterTrustPolicyRoutes(p->router, *p->backend);
  p->deployed->AddRoutes(p->router);
  return absl::OkStatus();
}

void Instance::Shutdown(int drain_ms) {
  if (!parts_ || !parts_->server) return;
  parts_->server->Shutdown(drain_ms);
  parts_->metrics->set_server(nullptr);
  parts_->server.reset();
  parts_->intake_worker.reset();    // joins a running import before the intake goes
  parts_->export_worker.reset();    // and a running export before the tracking service
  parts_->artifact_worker.reset();  // and S3 transfers before the artifact service
  parts_->intake.reset();
  parts_->webhooks.reset();
  parts_->audit_observer.reset();
  parts_->audit.reset();
  parts_->auth.reset();
  parts_->lineage.reset();
  parts_->registry.reset();  // stops the registration worker
  parts_->deployed.reset();
  parts_->verifier.reset();
  parts_->webhook_dispatcher.reset();
  parts_->artifacts.reset();
  parts_->tracking.reset();
  parts_->blobs.reset();
  parts_->backend.reset();  // closes the database after the last request finished
}

}  // namespace ferry::app
