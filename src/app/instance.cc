#include "app/instance.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <optional>

#include "app/deployed_models.h"
#include "app/package_verifier.h"
#include "common/clock.h"
#include "common/fs.h"
#include "common/logging.h"
#include "common/strings.h"
#include "http/handlers/package_handlers.h"
#include "http/handlers/registry_handlers.h"
#include "http/handlers/tracking_handlers.h"
#include "http/http_server.h"
#include "package/package_intake.h"
#include "registry/registry_service.h"
#include "registry/webhook_dispatcher.h"
#include "registry/webhook_service.h"
#include "store/store_factory.h"
#include "tracking/artifact_service.h"
#include "tracking/tracking_service.h"

namespace ferry::app {
namespace {

// Resolves "sqlite:///./x" and "file:///./x" style defaults against the working directory.
std::string Absolutize(const std::string& uri, const std::string& scheme) {
  std::string prefix = scheme + ":///./";
  if (StartsWith(uri, prefix))
    return scheme + "://" + JoinPath(CurrentDir(), uri.substr(prefix.size()));
  return uri;
}

// Creates the directory that will hold a sqlite file or the artifact root, so that a
// missing or unwritable data dir is reported once, clearly.
absl::Status PrepareDir(const std::string& uri, const std::string& scheme, bool is_file) {
  std::string prefix = scheme + "://";
  if (!StartsWith(uri, prefix)) return absl::OkStatus();
  std::string path = uri.substr(prefix.size());
  if (is_file) path = path.substr(0, path.find_last_of('/'));
  if (path.empty()) return absl::OkStatus();
  absl::Status s = MakeDirs(path);
  if (s.ok() && ::access(path.c_str(), W_OK) != 0) {
    s = absl::PermissionDeniedError("'" + path + "' is not writable");
  }
  if (!s.ok()) {
    return absl::PermissionDeniedError(
        "cannot use data directory: " + std::string(s.message()) +
        ". Choose a writable location with --backend-store-uri / --artifacts-destination.");
  }
  return absl::OkStatus();
}

// The directory of a file:// artifact root.
std::string ArtifactRootPath(const std::string& uri) {
  return StartsWith(uri, "file://") ? uri.substr(7) : uri;
}

// Copies a local file into the artifact proxy at `path`, streaming it.
absl::Status StoreLocalFile(ArtifactService& artifacts, const std::string& path,
                            const std::string& local) {
  int fd = ::open(local.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(errno, "open", local);
  auto upload = artifacts.BeginUpload(path);
  absl::Status s = upload.status();
  char buf[1 << 16];
  while (s.ok()) {
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) s = ErrnoStatus(errno, "read", local);
    if (n <= 0) break;
    s = (*upload)->Append(std::string_view(buf, static_cast<size_t>(n)));
  }
  ::close(fd);
  if (!s.ok()) {
    if (upload.ok()) (*upload)->Abort();
    return s;
  }
  return (*upload)->Commit().status();
}

}  // namespace

struct Instance::Parts {
  MetadataBackendPtr backend;
  ArtifactStorePtr blobs;
  std::unique_ptr<TrackingService> tracking;
  std::unique_ptr<ArtifactService> artifacts;
  std::unique_ptr<WebhookDispatcher> webhook_dispatcher;
  std::unique_ptr<RegistryService> registry;
  std::unique_ptr<WebhookService> webhooks;
  std::unique_ptr<PackageVersionVerifier> verifier;
  std::unique_ptr<package::PackageIntake> intake;
  std::unique_ptr<DeployedModels> deployed;  // outlives the registry, which notifies it
  http::Router router;
  std::unique_ptr<http::HttpServer> server;
};

Instance::Instance(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

Instance::~Instance() { Shutdown(0); }

int Instance::port() const { return parts_->server->port(); }

absl::StatusOr<std::unique_ptr<Instance>> Instance::Start(const cli::ServerConfig& config) {
  auto p = std::make_unique<Parts>();
  std::string backend_uri = Absolutize(config.backend_store_uri, "sqlite");
  std::string artifacts_uri = Absolutize(config.artifacts_destination, "file");
  RETURN_IF_ERROR(PrepareDir(backend_uri, "sqlite", true));
  RETURN_IF_ERROR(PrepareDir(artifacts_uri, "file", false));
  ASSIGN_OR_RETURN(p->backend, OpenMetadataBackend(backend_uri, config.sync_full));
  ASSIGN_OR_RETURN(p->blobs, OpenArtifactStore(artifacts_uri));

  p->tracking = std::make_unique<TrackingService>(*p->backend, SystemClock(), SystemRandom());
  p->artifacts =
      std::make_unique<ArtifactService>(*p->blobs, *p->backend, *p->backend, SystemClock());
  http::RegisterExperimentRoutes(p->router, *p->tracking);
  http::RegisterRunRoutes(p->router, *p->tracking);
  http::RegisterSearchRoutes(p->router, *p->tracking);
  http::RegisterArtifactRoutes(p->router, *p->artifacts);

  WebhookDispatcherOptions webhook_options;
  webhook_options.initial_backoff_ms = config.webhook_backoff_ms;
  p->webhook_dispatcher = std::make_unique<WebhookDispatcher>(*p->backend, SystemClock(),
                                                              SystemRandom(), webhook_options);
  RETURN_IF_ERROR(p->webhook_dispatcher->Start());
  std::optional<package::TrustPolicy> policy;
  if (!config.trust_policy.empty()) {
    auto loaded = package::TrustPolicy::Load(config.trust_policy);
    if (!loaded.ok()) {
      return absl::InvalidArgumentError(std::string("cannot use --trust-policy: ") +
                                        std::string(StatusMessage(loaded.status())));
    }
    policy = *std::move(loaded);
    // Versions wait in PENDING_REGISTRATION until their package verifies under the policy;
    // without a policy they are READY at once, as in MLflow.
    p->verifier = std::make_unique<PackageVersionVerifier>(*p->backend, *p->blobs, policy,
                                                           config.require_signed_packages);
  }
  p->registry = std::make_unique<RegistryService>(*p->backend, SystemClock(), p->verifier.get());
  p->registry->AddObserver(p->webhook_dispatcher.get());
  ASSIGN_OR_RETURN(
      p->deployed,
      DeployedModels::Create(config, JoinPath(ArtifactRootPath(artifacts_uri), "serving-cache")));
  p->registry->AddObserver(p->deployed.get());
  TrackingService* tracking = p->tracking.get();
  p->registry->SetRunArtifactResolver(
      [tracking](const std::string& run_id) -> absl::StatusOr<std::string> {
        ASSIGN_OR_RETURN(Run run, tracking->GetRun(run_id));
        return run.info.artifact_uri;
      });
  RETURN_IF_ERROR(p->registry->Start());
  p->webhooks = std::make_unique<WebhookService>(*p->backend, SystemClock(), SystemRandom());
  http::RegisterRegisteredModelRoutes(p->router, *p->registry);
  http::RegisterModelVersionRoutes(p->router, *p->registry);
  http::RegisterWebhookRoutes(p->router, *p->webhooks);
  ArtifactService* artifacts = p->artifacts.get();
  p->intake = std::make_unique<package::PackageIntake>(
      JoinPath(ArtifactRootPath(artifacts_uri), "intake"), std::move(policy),
      [artifacts](const std::string& rel, const std::string& local) {
        return StoreLocalFile(*artifacts, rel, local);
      });
  http::RegisterPackageRoutes(p->router, *p->intake);
  http::RegisterHealthRoutes(p->router);
  p->deployed->AddRoutes(p->router);

  http::ServerOptions options;
  options.host = config.host;
  options.port = config.port;
  options.threads = config.threads;
  options.access_log = config.access_log;
  ASSIGN_OR_RETURN(p->server, http::HttpServer::Create(options, p->router));
  p->server->Start();
  LogInfo("listening", {{"port", std::to_string(p->server->port())},
                        {"backend_store_uri", backend_uri},
                        {"artifacts_destination", artifacts_uri}});
  auto instance = std::unique_ptr<Instance>(new Instance(std::move(p)));
  RETURN_IF_ERROR(instance->parts_->deployed->Deploy(instance->port()));
  return instance;
}

void Instance::Shutdown(int drain_ms) {
  if (!parts_ || !parts_->server) return;
  parts_->server->Shutdown(drain_ms);
  parts_->server.reset();
  parts_->intake.reset();
  parts_->webhooks.reset();
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
