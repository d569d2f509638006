#include "http/handlers/inference/invocations_handlers.h"

#include <memory>
#include <string>

#include "common/strings.h"
#include "http/handlers/inference/invocations_codec.h"

namespace ferry::http {
namespace {

enum class Format { kJson, kCsv, kUnsupported };

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// application/json or text/csv, with no charset or utf-8 (MLflow's rule).
Format ParseContentType(const std::string* header) {
  if (header == nullptr) return Format::kUnsupported;
  std::string value = ToLower(*header);
  std::string_view rest = value;
  size_t semi = rest.find(';');
  std::string_view type = Trim(rest.substr(0, semi));
  while (semi != std::string_view::npos) {
    rest.remove_prefix(semi + 1);
    semi = rest.find(';');
    std::string_view param = Trim(rest.substr(0, semi));
    if (param.substr(0, 8) != "charset=") continue;
    std::string_view charset = param.substr(8);
    if (charset.size() >= 2 && charset.front() == '"' && charset.back() == '"') {
      charset = charset.substr(1, charset.size() - 2);
    }
    if (charset != "utf-8" && charset != "utf8") return Format::kUnsupported;
  }
  if (type == "application/json") return Format::kJson;
  if (type == "text/csv") return Format::kCsv;
  return Format::kUnsupported;
}

HttpResponse Unsupported(const std::string* header) {
  return HttpResponse::Text(
      415,
      "This predictor only supports the following content types: Types: ['text/csv', "
      "'application/json']. Got '" +
          (header ? *header : std::string()) + "'.");
}

const char* ErrorCode(int status) {
  switch (status) {
    case 400:
      return "BAD_REQUEST";
    case 404:
      return "RESOURCE_DOES_NOT_EXIST";
    case 501:
      return "NOT_IMPLEMENTED";
    case 503:
      return "TEMPORARILY_UNAVAILABLE";
    case 504:
      return "DEADLINE_EXCEEDED";
    default:
      return "INTERNAL_ERROR";
  }
}

HttpResponse Error(int status, std::string_view message) {
  return JsonError(status, ScoringErrorBody(ErrorCode(status), PublicMessage(message)));
}

HttpResponse Error(const absl::Status& status) {
  int code = HttpStatusFor(status.code());
  if (code == 504) return Error(504, "Request processing time exceeded limit");
  return Error(code, StatusMessage(status));
}

}  // namespace

HttpResponse ScoringError(const absl::Status& status) { return Error(status); }

HttpResponse InvocationsHandlers::Ping(HttpRequest&) {
  return HttpResponse::Json(service_.Ready() ? 200 : 404, "\n");
}

HttpResponse InvocationsHandlers::Version(HttpRequest&) {
  return HttpResponse::Text(200, "ferry " FERRY_VERSION);
}

absl::StatusOr<std::string> InvocationsHandlers::PickModel(const HttpRequest& request) const {
  if (const std::string* h = request.Header("ferry-model")) return *h;
  std::vector<std::string> models = service_.Models();
  if (models.size() == 1) return models[0];
  if (models.empty()) return absl::UnavailableError("no model is deployed");
  return absl::InvalidArgumentError(
      "several models are deployed; name one in the Ferry-Model header");
}

void InvocationsHandlers::HandleInvocations(HttpRequest& request, Reply reply) {
  const std::string* content_type = request.Header("content-type");
  Format format = ParseContentType(content_type);
  if (format == Format::kUnsupported) return reply(Unsupported(content_type));
  absl::StatusOr<std::string> model = PickModel(request);
  if (!model.ok()) return reply(Error(model.status()));
  absl::StatusOr<serving::ModelInfo> info = service_.Describe(*model, "");
  if (!info.ok()) return reply(Error(info.status()));
  absl::StatusOr<std::vector<Tensor>> inputs =
      format == Format::kJson ? DecodeInvocationsJson(request.body, info->schema)
                              : DecodeInvocationsCsv(request.body, info->schema);
  if (!inputs.ok()) return reply(Error(400, StatusMessage(inputs.status())));
  absl::StatusOr<int64_t> deadline = RequestDeadlineMs(request, 0, clock_);
  if (!deadline.ok()) return reply(Error(400, StatusMessage(deadline.status())));

  serving::InferRequest infer;
  infer.request_id = request.request_id;
  infer.inputs = std::move(*inputs);
  infer.deadline_ms = *deadline;
  serving::InferenceService* service = &service_;
  Clock* clock = &clock_;
  service_.Infer(
      *model, "", std::move(infer),
      [service, clock, name = *model, reply = std::move(reply)](serving::InferResult result) {
        if (!result.status.ok()) return reply(Error(result.status));
        int64_t start = clock->MonotonicNanos();
        std::string body = EncodePredictions(result.outputs);
        service->RecordSerialize(name, (clock->MonotonicNanos() - start) / 1000);
        reply(HttpResponse::Json(200, std::move(body)));
      });
}

}  // namespace ferry::http
