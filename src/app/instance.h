#pragma once
// One running Ferry: stores opened from URIs, services, routes and the HTTP server. The
// server command and the in-process integration tests both build Ferry through this.

#include <memory>
#include <string>

#include "cli/cli.h"
#include "common/status.h"

namespace ferry::http {
struct ServerOptions;
}  // namespace ferry::http

namespace ferry::app {

class Instance {
 public:
  // Opens stores (creating data directories), builds services, binds and starts serving.
  // Start-up errors name the problem and what to do about it.
  static absl::StatusOr<std::unique_ptr<Instance>> Start(const cli::ServerConfig& config);
  ~Instance();

  int port() const;
  // Drains requests in flight (up to `drain_ms`), stops the server and closes the stores.
  void Shutdown(int drain_ms = 10000);

 private:
  struct Parts;
  explicit Instance(std::unique_ptr<Parts> parts);
  // Tracking, registry, webhooks, packages and deployments (all but the artifact proxy).
  static absl::Status StartServices(Parts& parts, const cli::ServerConfig& config,
                                    const std::string& artifact_root);
  // Adds /metrics where needed and points `options` at the per-route request metrics.
  static void AddServerMetrics(Parts& parts, http::ServerOptions& options);
  std::unique_ptr<Parts> parts_;
};

}  // namespace ferry::app
