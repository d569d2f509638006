#include "http/router.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "http/response_writer.h"

namespace ferry::http {
namespace {

HttpResponse DefaultNotFound(HttpRequest& request) {
  return JsonErrorResponse(
      404, "ENDPOINT_NOT_FOUND",
      "No endpoint for " + request.method.substr(0, 32) + " " + request.path.substr(0, 256));
}

}  // namespace

Router::Router() : not_found_(DefaultNotFound) {}

void Router::AddRoute(std::string_view method, std::string_view pattern, Route route) {
  if (guarded_) {
    std::fprintf(stderr, "route %.*s %.*s added after Router::Guard(): it would run unchecked\n",
                 static_cast<int>(method.size()), method.data(), static_cast<int>(pattern.size()),
                 pattern.data());
    std::abort();
  }
  route.method = std::string(method);
  route.label = std::string(pattern);
  route.prefix = !pattern.empty() && pattern.back() == '*';
  route.pattern = std::string(route.prefix ? pattern.substr(0, pattern.size() - 1) : pattern);
  routes_.push_back(std::move(route));
  Reindex();
}

void Router::Add(std::string_view method, std::string_view pattern, Handler handler) {
  Route route;
  route.handler = std::move(handler);
  AddRoute(method, pattern, std::move(route));
}

void Router::AddStream(std::string_view method, std::string_view pattern, StreamHandler handler) {
  Route route;
  route.stream_handler = std::move(handler);
  AddRoute(method, pattern, std::move(route));
}

void Router::AddAsync(std::string_view method, std::string_view pattern, AsyncHandler handler) {
  Route route;
  route.async_handler = std::move(handler);
  AddRoute(method, pattern, std::move(route));
}

absl::Status Router::Guard(const Policy& policy) {
  std::vector<Check> checks;
  std::string missing;
  for (const Route& route : routes_) {
    absl::StatusOr<Check> check = policy(route.method, route.label);
    if (check.ok()) {
      checks.push_back(*std::move(check));
    } else {
      missing +=
          "\n  " + route.method + " " + route.label + ": " + std::string(check.status().message());
    }
  }
  if (!missing.empty()) {
    return absl::FailedPreconditionError("routes without an access rule:" + missing);
  }
  for (size_t i = 0; i < routes_.size(); ++i) Wrap(routes_[i], std::move(checks[i]));
  guarded_ = true;
  return absl::OkStatus();
}

void Router::Wrap(Route& route, Check check) {
  if (route.handler) {
    route.handler = [check, inner = std::move(route.handler)](HttpRequest& request) {
      Verdict verdict = check(request);
      if (verdict.deny) return *std::move(verdict.deny);
      HttpResponse response = inner(request);
      if (verdict.after) verdict.after(response);
      return response;
    };
  }
  if (route.async_handler) {
    route.async_handler = [check, inner = std::move(route.async_handler)](HttpRequest& request,
                                                                          Responder responder) {
      Verdict verdict = check(request);
      if (verdict.deny) return responder.Send(*std::move(verdict.deny));
      inner(request, std::move(responder));
    };
  }
  if (route.stream_handler) {
    route.stream_handler =
        [check, inner = std::move(route.stream_handler)](
            HttpRequest& request) -> std::variant<std::unique_ptr<BodySink>, HttpResponse> {
      Verdict verdict = check(request);
      if (verdict.deny) return *std::move(verdict.deny);
      return inner(request);
    };
  }
}

void Router::SetNotFound(Handler handler) { not_found_ = std::move(handler); }

// Rebuilds the lookup indexes. Routes are added at startup only, so the cost is irrelevant.
void Router::Reindex() {
  exact_.clear();
  prefixes_.clear();
  for (size_t i = 0; i < routes_.size(); ++i) {
    if (routes_[i].prefix) {
      prefixes_.push_back(i);
    } else {
      exact_[routes_[i].pattern].push_back(i);
    }
  }
  // Longest prefix first; ties keep insertion order.
  std::stable_sort(prefixes_.begin(), prefixes_.end(), [this](size_t a, size_t b) {
    return routes_[a].pattern.size() > routes_[b].pattern.size();
  });
}

const Router::Route* Router::FindRoute(std::string_view method, std::string_view path,
                                       bool* path_matched) const {
  auto it = exact_.find(path);
  if (it != exact_.end()) {
    *path_matched = true;
    for (size_t i : it->second) {
      if (routes_[i].method == method) return &routes_[i];
    }
  }
  for (size_t i : prefixes_) {
    const Route& route = routes_[i];
    if (path.substr(0, route.pattern.size()) != route.pattern) continue;
    *path_matched = true;
    if (route.method == method) return &route;
  }
  return nullptr;
}

Router::Match Router::Find(std::string_view method, std::string_view path) const {
  Match match;
  bool path_matched = false;
  const Route* route = FindRoute(method, path, &path_matched);
  // Like Flask, GET routes also answer HEAD; the server drops the body.
  if (route == nullptr && method == "HEAD") route = FindRoute("GET", path, &path_matched);
  if (route == nullptr) {
    match.status = path_matched ? 405 : 404;
    return match;
  }
  match.route_index = static_cast<int>(route - routes_.data());
  if (route->prefix) match.path_rest = std::string(path.substr(route->pattern.size()));
  if (route->stream_handler) {
    match.stream_handler = &route->stream_handler;
  } else if (route->async_handler) {
    match.async_handler = &route->async_handler;
  } else {
    match.handler = &route->handler;
  }
  return match;
}

void Router::SetErrorFormat(std::string_view path_prefix, ErrorFormat format) {
  error_formats_.emplace_back(std::string(path_prefix), std::move(format));
}

HttpResponse Router::ErrorFor(std::string_view path, int status, std::string_view error_code,
                              std::string_view message) const {
  const ErrorFormat* best = nullptr;
  size_t best_length = 0;
  for (const auto& [prefix, format] : error_formats_) {
    if (path.substr(0, prefix.size()) == prefix &&
        (best == nullptr || prefix.size() > best_length)) {
      best = &format;
      best_length = prefix.size();
    }
  }
  if (best != nullptr) return (*best)(status, message);
  return JsonErrorResponse(status, error_code, message);
}

}  // namespace ferry::http
