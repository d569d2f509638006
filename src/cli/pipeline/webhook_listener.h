#pragma once
// Where `ferry pipeline watch` receives its tracking server's webhooks: Ferry's HTTP server
// (http/) on one address with one route, POST /webhook. A delivery is accepted only with a
// valid MLflow signature under the watcher's secret (X-MLflow-Signature over the delivery id,
// timestamp and body, registry/webhook_signature.h) and a timestamp within 5 minutes of now;
// anything else is answered 401 and dropped. A delivery id already accepted is answered 200
// again without being passed on (the server retries a delivery whose answer it lost).

#include <functional>
#include <memory>
#include <string>

#include "common/status.h"

namespace ferry::cli {

class WebhookListener {
 public:
  // Called on a listener thread for each accepted body; returns whether it fired a trigger
  // (answered 200 {"fired": ...}), or an error for a body that is no delivery (400).
  using OnDelivery = std::function<absl::StatusOr<bool>(const std::string& body)>;

  // Listens on `listen` ("HOST:PORT"; port 0 picks one). kInvalidArgument for a bad address,
  // kUnavailable when it cannot bind.
  static absl::StatusOr<std::unique_ptr<WebhookListener>> Start(const std::string& listen,
                                                                std::string secret,
                                                                OnDelivery on_delivery);
  ~WebhookListener();  // stops listening

  const std::string& host() const;
  int port() const;
  // "http://HOST:PORT/webhook".
  std::string url() const;
  int rejected() const;  // deliveries answered 401 so far

 private:
  class Impl;
  explicit WebhookListener(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ferry::cli
