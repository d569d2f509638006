#include "http/handlers/handler_util.h"

#include <string>

#include "http/handlers/error_response.h"

namespace ferry::http {

Handler JsonHandler(JsonBodyFn fn) {
  return JsonRequestHandler([fn = std::move(fn)](const HttpRequest&, const RequestArgs& args,
                                                 JsonWriter& w) { return fn(args, w); });
}

Handler JsonRequestHandler(JsonRequestFn fn) {
  return [fn = std::move(fn)](HttpRequest& req) -> HttpResponse {
    auto args = RequestArgs::FromRequest(req);
    if (!args.ok()) return ErrorResponse(args.status());
    std::string body;
    body.reserve(256);
    JsonWriter w(&body);
    w.BeginObject();
    absl::Status status = fn(req, *args, w);
    if (!status.ok()) return ErrorResponse(status);
    w.EndObject();
    return HttpResponse::Json(200, std::move(body));
  };
}

absl::StatusOr<ViewType> ReadViewType(const RequestArgs& a, std::string_view field) {
  ASSIGN_OR_RETURN(auto text, a.String(field));
  if (!text) return ViewType::kActiveOnly;
  auto view = ParseViewType(*text);
  if (!view) return InvalidParam(field, JsonValue::String(*text));
  return *view;
}

void AddMlflowRoute(Router& router, std::string_view method, std::string_view path,
                    const Handler& handler) {
  router.Add(method, "/api/2.0" + std::string(path), handler);
  router.Add(method, "/ajax-api/2.0" + std::string(path), handler);
}

}  // namespace ferry::http
