// libFuzzer target for the JSON APIs: MLflow's tracking and registry routes and Ferry's
// webhook routes, with their handlers, RequestArgs, the services and a real SQLite store,
// dispatched in-process through the Router (no sockets, so it runs fast).
// Input: a first line "METHOD /target?query", then the body (sent as application/json).
// The seed corpus holds every request of tests/api/*.test. Properties checked:
//   * no crash, sanitizer report or escaping exception;
//   * the status is a valid HTTP status and never 500 (every input is either served or
//     answered with a client error naming the field);
//   * a JSON answer is well-formed JSON.
// The store is replaced every kResetEvery inputs so that it stays small.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/fs.h"
#include "common/json.h"
#include "fuzz_check.h"
#include "http/handlers/mlflow/registry_handlers.h"
#include "http/handlers/mlflow/tracking_handlers.h"
#include "http/router.h"
#include "registry/registry_service.h"
#include "registry/webhook_service.h"
#include "store/cas/file_artifact_store.h"
#include "store/sqlite/sqlite_store.h"
#include "tracking/artifact_service.h"
#include "tracking/tracking_service.h"

namespace {

using namespace ferry;

constexpr int kResetEvery = 5000;

// One server's worth of services over a fresh database and artifact root.
struct Api {
  TempDir dir;
  store::MetadataBackendPtr backend;
  store::ArtifactStorePtr blobs;
  std::unique_ptr<tracking::TrackingService> tracking;
  std::unique_ptr<tracking::ArtifactService> artifacts;
  std::unique_ptr<registry::RegistryService> registry;
  std::unique_ptr<registry::WebhookService> webhooks;
  http::Router router;

  Api() : dir(*TempDir::Create("ferry-json-fuzz")) {
    backend = *store::sqlite::SqliteStore::Create(dir.path() + "/ferry.db");
    blobs = *store::cas::FileArtifactStore::Create(dir.path() + "/artifacts");
    tracking = std::make_unique<tracking::TrackingService>(*backend, SystemClock(), SystemRandom());
    artifacts =
        std::make_unique<tracking::ArtifactService>(*blobs, *backend, *backend, SystemClock());
    registry = std::make_unique<registry::RegistryService>(*backend, SystemClock());
    Check(registry->Start().ok());
    webhooks = std::make_unique<registry::WebhookService>(*backend, SystemClock(), SystemRandom());
    http::RegisterExperimentRoutes(router, *tracking);
    http::RegisterRunRoutes(router, *tracking);
    http::RegisterSearchRoutes(router, *tracking);
    http::RegisterArtifactRoutes(router, *artifacts);
    http::RegisterRegisteredModelRoutes(router, *registry);
    http::RegisterModelVersionRoutes(router, *registry);
    http::RegisterWebhookRoutes(router, *webhooks);
    http::RegisterHealthRoutes(router);
  }
  ~Api() {
    webhooks.reset();
    registry.reset();
    artifacts.reset();
    tracking.reset();
    blobs.reset();
    backend.reset();  // before the TempDir removes the files
  }
};

Api& CurrentApi() {
  static int count = 0;
  static std::unique_ptr<Api> api;
  if (!api || ++count % kResetEvery == 0) {
    api.reset();
    api = std::make_unique<Api>();
  }
  return *api;
}

bool ParseRequestLine(std::string_view line, http::HttpRequest& req) {
  size_t space = line.find(' ');
  if (space == std::string_view::npos || space == 0) return false;
  req.method = std::string(line.substr(0, space));
  req.target = std::string(line.substr(space + 1));
  if (req.target.empty() || req.target[0] != '/') return false;
  size_t q = req.target.find('?');
  req.path = req.target.substr(0, q);
  if (q != std::string::npos) req.query = req.target.substr(q + 1);
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t eol = input.find('\n');
  if (eol == std::string_view::npos) return 0;
  http::HttpRequest req;
  if (!ParseRequestLine(input.substr(0, eol), req)) return 0;
  req.body = std::string(input.substr(eol + 1));
  req.headers.push_back({"content-type", "application/json"});
  req.headers.push_back({"host", "localhost"});
  Api& api = CurrentApi();
  http::Router::Match match = api.router.Find(req.method, req.path);
  if (match.handler == nullptr) return 0;  // streamed and asynchronous routes are not driven
  req.path_rest = match.path_rest;
  http::HttpResponse response = (*match.handler)(req);
  bool json = response.content_type == "application/json" && !response.body.empty();
  const char* problem = nullptr;
  if (response.status < 200 || response.status >= 600) problem = "invalid status";
  if (response.status == 500) problem = "500";
  if (json && !ParseJson(response.body).ok()) problem = "invalid JSON";
  if (problem != nullptr) {
    std::fprintf(stderr, "%s: %d for %s %s: %s\n", problem, response.status, req.method.c_str(),
                 req.target.c_str(), response.body.c_str());
    std::abort();
  }
  return 0;
}
