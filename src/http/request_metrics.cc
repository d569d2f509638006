#include "http/request_metrics.h"

#include <algorithm>

namespace ferry::http {
namespace {

constexpr std::string_view kMethodNames[] = {"GET",   "HEAD",   "POST",    "PUT",
                                             "PATCH", "DELETE", "OPTIONS", "other"};
constexpr std::string_view kClassNames[] = {"1xx", "2xx", "3xx", "4xx", "5xx"};

}  // namespace

RequestMetrics::RequestMetrics(const Router& router) {
  routes_.resize(router.route_count() + 1);
  for (size_t i = 0; i <= router.route_count(); ++i) {
    routes_[i].label = i < router.route_count() ? router.route_pattern(i) : "unmatched";
    for (auto& series : routes_[i].by_method) series = std::make_unique<Series>();
  }
}

int RequestMetrics::MethodIndex(std::string_view method) {
  for (int i = 0; i < kMethods - 1; ++i) {
    if (kMethodNames[i] == method) return i;
  }
  return kMethods - 1;
}

void RequestMetrics::Record(int route_index, std::string_view method, int status, int64_t micros) {
  size_t route = route_index >= 0 && static_cast<size_t>(route_index) < routes_.size() - 1
                     ? static_cast<size_t>(route_index)
                     : routes_.size() - 1;
  Series& series = *routes_[route].by_method[MethodIndex(method)];
  int status_class = std::clamp(status / 100, 1, 5) - 1;
  series.by_class[status_class].fetch_add(1, std::memory_order_relaxed);
  series.duration.Observe(micros);
}

void RequestMetrics::Render(std::string* out) const {
  AppendMetricHeader(out, "ferry_http_requests_total", "counter",
                     "HTTP requests answered, by route pattern, method and status class.");
  for (const Route& route : routes_) {
    for (int m = 0; m < kMethods; ++m) {
      for (int c = 0; c < kClasses; ++c) {
        uint64_t n = route.by_method[m]->by_class[c].load(std::memory_order_relaxed);
        if (n == 0) continue;
        AppendSample(out, "ferry_http_requests_total",
                     "route=\"" + EscapeLabelValue(route.label) + "\",method=\"" +
                         std::string(kMethodNames[m]) + "\",status=\"" +
                         std::string(kClassNames[c]) + "\"",
                     std::to_string(n));
      }
    }
  }
  AppendMetricHeader(out, "ferry_http_request_duration_seconds", "histogram",
                     "Time from a request's headers to its response, by route and method.");
  for (const Route& route : routes_) {
    for (int m = 0; m < kMethods; ++m) {
      const Histogram& duration = route.by_method[m]->duration;
      if (duration.Count() == 0) continue;
      duration.Render("ferry_http_request_duration_seconds",
                      "route=\"" + EscapeLabelValue(route.label) + "\",method=\"" +
                          std::string(kMethodNames[m]) + "\"",
                      out);
    }
  }
}

}  // namespace ferry::http
