#include "http/handlers/inference/oip_handlers.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/json_writer.h"
#include "http/handlers/inference/oip_codec.h"

namespace ferry::http {
namespace {

enum class Action { kMetadata, kReady, kInfer };

struct ModelPath {
  std::string model;
  std::string version;
  Action action = Action::kMetadata;
};

// "{m}[/versions/{v}][/ready|/infer]", or nullopt.
std::optional<ModelPath> ParseModelPath(std::string_view rest) {
  std::vector<std::string_view> parts;
  while (true) {
    size_t slash = rest.find('/');
    parts.push_back(rest.substr(0, slash));
    if (parts.back().empty()) return std::nullopt;
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  ModelPath path;
  path.model = std::string(parts[0]);
  size_t next = 1;
  if (parts.size() >= 3 && parts[1] == "versions") {
    path.version = std::string(parts[2]);
    next = 3;
  }
  if (next + 1 == parts.size()) {
    if (parts[next] == "ready") {
      path.action = Action::kReady;
    } else if (parts[next] == "infer") {
      path.action = Action::kInfer;
    } else {
      return std::nullopt;
    }
  } else if (next != parts.size()) {
    return std::nullopt;
  }
  return path;
}

HttpResponse Error(int status, std::string_view message) { return OipError(status, message); }

HttpResponse Error(const absl::Status& status) { return OipError(status); }

// A model with no version to run (its load failed, or it is loading): 400 as for a version
// that is not READY, with the reason.
HttpResponse NotReady(std::string_view model, const absl::Status& why) {
  std::string body;
  JsonWriter(&body)
      .BeginObject()
      .Field("name", model)
      .FieldBool("ready", false)
      .Field("reason", PublicMessage(StatusMessage(why)))
      .EndObject();
  return HttpResponse::Json(400, std::move(body));
}

HttpResponse NoRoute(const HttpRequest& request) {
  return Error(404, "no OIP endpoint at " + request.path);
}

HttpResponse WrongMethod(const HttpRequest& request) {
  return Error(405, "method " + request.method + " is not allowed on " + request.path);
}

// What the reply needs once the service answers (the request is gone by then).
struct InferContext {
  serving::InferenceService* service;
  Clock* clock;
  std::string model;
  OipRequest request;  // without its inputs
  Reply reply;
};

void Respond(InferContext& ctx, serving::InferResult result) {
  if (!result.status.ok()) return ctx.reply(Error(result.status));
  int64_t start = ctx.clock->MonotonicNanos();
  const std::string& name = result.model_name.empty() ? ctx.model : result.model_name;
  OipEncoded enc =
      EncodeOipResponse(name, result.model_version, ctx.request.id, result.outputs, ctx.request);
  ctx.service->RecordSerialize(ctx.model, (ctx.clock->MonotonicNanos() - start) / 1000);
  HttpResponse response = HttpResponse::Json(200, std::move(enc.body));
  if (enc.json_length) {
    response.content_type = "application/octet-stream";
    response.headers.emplace_back("Inference-Header-Content-Length",
                                  std::to_string(*enc.json_length));
  }
  ctx.reply(std::move(response));
}

}  // namespace

HttpResponse OipError(int http_status, std::string_view message) {
  return JsonError(http_status, OipErrorBody(PublicMessage(message)));
}

HttpResponse OipError(const absl::Status& status) {
  return OipError(HttpStatusFor(status.code()), StatusMessage(status));
}

HttpResponse OipHandlers::ServerMetadata(HttpRequest&) {
  return HttpResponse::Json(200, "{\"name\":\"ferry\",\"version\":\"" FERRY_VERSION
                                 "\",\"extensions\":[\"binary_tensor_data\"]}");
}

HttpResponse OipHandlers::Live(HttpRequest&) {
  bool live = service_.Live();
  return HttpResponse::Json(live ? 200 : 400, live ? "{\"live\":true}" : "{\"live\":false}");
}

HttpResponse OipHandlers::Ready(HttpRequest&) {
  bool ready = service_.Ready();
  return HttpResponse::Json(ready ? 200 : 400, ready ? "{\"ready\":true}" : "{\"ready\":false}");
}

HttpResponse OipHandlers::ModelGet(HttpRequest& request) {
  std::optional<ModelPath> path = ParseModelPath(request.path_rest);
  if (!path) return NoRoute(request);
  if (path->action == Action::kInfer) return WrongMethod(request);
  absl::StatusOr<serving::ModelInfo> info = service_.Describe(path->model, path->version);
  if (!info.ok() && path->action == Action::kReady && absl::IsUnavailable(info.status())) {
    return NotReady(path->model, info.status());
  }
  if (!info.ok()) return Error(info.status());
  if (path->action == Action::kMetadata) {
    return HttpResponse::Json(200, EncodeModelMetadata(info->name, info->versions, info->platform,
                                                       info->schema, info->backend_reason));
  }
  bool ready = info->state == serving::ModelState::kReady;
  std::string body = "{\"name\":";
  AppendJsonString(&body, info->name);
  body += ready ? ",\"ready\":true}" : ",\"ready\":false}";
  return HttpResponse::Json(ready ? 200 : 400, std::move(body));
}

void OipHandlers::HandleInfer(HttpRequest& request, Reply reply) {
  std::optional<ModelPath> path = ParseModelPath(request.path_rest);
  if (!path) return reply(NoRoute(request));
  if (path->action != Action::kInfer) return reply(WrongMethod(request));
  std::optional<uint64_t> json_length;
  if (const std::string* h = request.Header("inference-header-content-length")) {
    absl::StatusOr<uint64_t> n = ParseJsonLength(*h);
    if (!n.ok()) return reply(Error(n.status()));
    json_length = *n;
  }
  absl::StatusOr<OipRequest> decoded = DecodeOipRequest(request.body, json_length);
  if (!decoded.ok()) return reply(Error(400, StatusMessage(decoded.status())));
  absl::StatusOr<int64_t> deadline = RequestDeadlineMs(request, decoded->timeout_us, clock_);
  if (!deadline.ok()) return reply(Error(400, StatusMessage(deadline.status())));

  serving::InferRequest infer;
  infer.id = decoded->id;
  infer.request_id = request.request_id;
  infer.inputs = std::move(decoded->inputs);
  infer.requested_outputs = decoded->OutputNames();
  infer.deadline_ms = *deadline;
  auto ctx = std::make_shared<InferContext>(
      InferContext{&service_, &clock_, path->model, std::move(*decoded), std::move(reply)});
  service_.Infer(path->model, path->version, std::move(infer),
                 [ctx](serving::InferResult result) { Respond(*ctx, std::move(result)); });
}

}  // namespace ferry::http
