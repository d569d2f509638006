#pragma once
// What `ferry server` adds to /metrics beside the inference series: per-route HTTP request
// counts and latencies, open and refused connections, and metadata-store transaction
// durations (ferry_store_transaction_seconds{kind="read"|"write"}).

#include <memory>
#include <string>

#include "common/prometheus.h"
#include "http/http_server.h"
#include "http/request_metrics.h"
#include "store/store_timing.h"

namespace ferry::app {

// Store transaction durations, fed by the metadata backend.
class StoreTimings : public store::StoreTimingObserver {
 public:
  void OnTransaction(Kind kind, int64_t micros) override;
  void Render(std::string* out) const;

 private:
  Histogram read_us_{LatencyBucketsMicros(), 1e6};
  Histogram write_us_{LatencyBucketsMicros(), 1e6};
};

class ServerMetrics {
 public:
  // `router` must hold every route (see http::RequestMetrics).
  explicit ServerMetrics(const http::Router& router) : requests_(router) {}

  http::RequestMetrics* requests() { return &requests_; }
  StoreTimings* store() { return &store_; }
  // The server whose connections are reported (set once it exists; may stay null).
  void set_server(const http::HttpServer* server) { server_ = server; }

  // Appends every family this object owns.
  void Render(std::string* out) const;

 private:
  http::RequestMetrics requests_;
  StoreTimings store_;
  const http::HttpServer* server_ = nullptr;
};

}  // namespace ferry::app
