#pragma once
// Glue shared by the MLflow handler files: registering a route under both API prefixes,
// and wrapping a body-writing function into a Handler that parses the request and maps
// errors.

#include <functional>
#include <string_view>

#include "common/json_writer.h"
#include "core/tracking_types.h"
#include "http/handlers/request_args.h"
#include "http/router.h"

namespace ferry::http {

// Writes the members of the response object (the surrounding braces are written for it).
using JsonBodyFn = std::function<absl::Status(const RequestArgs& args, JsonWriter& w)>;

// Parses the request into RequestArgs, runs `fn`, answers 200 with the object, or the
// MLflow error for the first non-OK Status.
Handler JsonHandler(JsonBodyFn fn);
// The same for functions that also look at the request itself (its authenticated caller).
using JsonRequestFn =
    std::function<absl::Status(const HttpRequest& req, const RequestArgs& args, JsonWriter& w)>;
Handler JsonRequestHandler(JsonRequestFn fn);

// Binds a service to a body function: Bind(tracking, CreateExperiment).
template <typename Service>
Handler Bind(Service& service, absl::Status (*fn)(Service&, const RequestArgs&, JsonWriter&)) {
  return JsonHandler(
      [&service, fn](const RequestArgs& a, JsonWriter& w) { return fn(service, a, w); });
}

// The same for body functions that also read the request (its caller's AccessScope).
template <typename Service>
Handler BindRequest(Service& service, absl::Status (*fn)(Service&, const HttpRequest&,
                                                         const RequestArgs&, JsonWriter&)) {
  return JsonRequestHandler([&service, fn](const HttpRequest& r, const RequestArgs& a,
                                           JsonWriter& w) { return fn(service, r, a, w); });
}

// Reads a ViewType field ("ACTIVE_ONLY", "DELETED_ONLY", "ALL" or 1/2/3); default active.
absl::StatusOr<ViewType> ReadViewType(const RequestArgs& args, std::string_view field);

// Registers `handler` at "/api/2.0" + path and "/ajax-api/2.0" + path.
void AddMlflowRoute(Router& router, std::string_view method, std::string_view path,
                    const Handler& handler);

}  // namespace ferry::http
