#pragma once
// Per-route request metrics of an HttpServer: ferry_http_requests_total and
// ferry_http_request_duration_seconds, labelled by route pattern (as registered, never the
// raw path, so the series are bounded by the route table), method and status class (2xx...).
// Requests no route matched (404, 405, malformed) share route="unmatched".
//
// Built from the finished Router; the request path touches only atomics. Thread-safe.

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/prometheus.h"
#include "http/router.h"

namespace ferry::http {

class RequestMetrics {
 public:
  // `router` must have all its routes; later routes are counted as "unmatched".
  explicit RequestMetrics(const Router& router);

  // One answered request: the router's route index (-1: unmatched), the request method,
  // the response status and the time from its headers to its response.
  void Record(int route_index, std::string_view method, int status, int64_t micros);

  // Appends both families (HELP and TYPE once each); series with no requests are left out.
  void Render(std::string* out) const;

 private:
  static constexpr int kMethods = 8;  // GET HEAD POST PUT PATCH DELETE OPTIONS, other
  static constexpr int kClasses = 5;  // 1xx..5xx
  struct Series {
    Series() : duration(LatencyBucketsMicros(), 1e6) {}
    std::array<std::atomic<uint64_t>, kClasses> by_class{};
    Histogram duration;
  };
  struct Route {
    std::string label;
    std::array<std::unique_ptr<Series>, kMethods> by_method;
  };
  static int MethodIndex(std::string_view method);

  std::vector<Route> routes_;  // the router's, then "unmatched"
};

}  // namespace ferry::http
