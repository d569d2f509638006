#include "http/handlers/inference/invocations_handlers.h"

#include <memory>
#include <string>

#include "common/strings.h"
#include "http/handlers/inference/invocations_codec.h"
#include "http/handlers/inference/scoring_errors.h"
#include "http/query.h"

namespace ferry::http {
namespace {

enum class Format { kJson, kCsv, kUnsupported, kNotUtf8, kUnknownParameter };

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// application/json or text/csv, with no parameter but a utf-8 charset (MLflow's rule).
Format ParseContentType(const std::string* header, std::string* unknown) {
  if (header == nullptr) return Format::kUnsupported;
  std::string value = ToLower(*header);
  std::string_view rest = value;
  size_t semi = rest.find(';');
  std::string_view type = Trim(rest.substr(0, semi));
  Format format = type == "application/json" ? Format::kJson
                  : type == "text/csv"       ? Format::kCsv
                                             : Format::kUnsupported;
  while (semi != std::string_view::npos && format != Format::kUnsupported) {
    rest.remove_prefix(semi + 1);
    semi = rest.find(';');
    std::string_view param = Trim(rest.substr(0, semi));
    std::string_view key = Trim(param.substr(0, param.find('=')));
    if (key != "charset") {
      *unknown += (unknown->empty() ? "" : ", ") + std::string(key);
      continue;
    }
    std::string_view charset = Trim(param.substr(param.find('=') + 1));
    if (charset.size() >= 2 && charset.front() == '"' && charset.back() == '"') {
      charset = charset.substr(1, charset.size() - 2);
    }
    if (charset != "utf-8" && charset != "utf8") return Format::kNotUtf8;
  }
  return unknown->empty() || format == Format::kUnsupported ? format : Format::kUnknownParameter;
}

HttpResponse Unsupported(Format format, const std::string* header, const std::string& unknown) {
  if (format == Format::kNotUtf8) {
    return HttpResponse::Text(415, "The scoring server only supports UTF-8");
  }
  if (format == Format::kUnknownParameter) {
    return HttpResponse::Text(415, "Unrecognized content type parameters: " + unknown +
                                       ". The MLflow scoring protocol takes only a charset.");
  }
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

// A request the decoder refused: 400 with MLflow's error_code for it.
HttpResponse DecodeError(const absl::Status& status) {
  return JsonError(
      400, ScoringErrorBody(ScoringErrorCode(status), PublicMessage(StatusMessage(status))));
}

// "?predict_method=..." (the only way to ask for it with CSV) over the JSON body's params.
absl::Status ReadQuery(const HttpRequest& request, ScoringParams& params) {
  if (request.query.empty()) return absl::OkStatus();
  absl::StatusOr<http::QueryParams> query = ParseQuery(request.query);
  if (!query.ok()) return BadRequest(StatusMessage(query.status()));
  const std::string* method = query->Get("predict_method");
  return method == nullptr ? absl::OkStatus() : ParsePredictMethod(*method, params);
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
  std::string unknown;
  Format format = ParseContentType(content_type, &unknown);
  if (format != Format::kJson && format != Format::kCsv) {
    return reply(Unsupported(format, content_type, unknown));
  }
  absl::StatusOr<std::string> model = PickModel(request);
  if (!model.ok()) return reply(Error(model.status()));
  absl::StatusOr<serving::ModelInfo> info = service_.Describe(*model, "");
  if (!info.ok()) return reply(Error(info.status()));
  ScoringParams params;
  absl::StatusOr<std::vector<Tensor>> inputs =
      format == Format::kJson ? DecodeInvocationsJson(request.body, info->schema, &params)
                              : DecodeInvocationsCsv(request.body, info->schema);
  if (!inputs.ok()) return reply(DecodeError(inputs.status()));
  if (absl::Status q = ReadQuery(request, params); !q.ok()) return reply(DecodeError(q));
  absl::StatusOr<int64_t> deadline = RequestDeadlineMs(request, 0, clock_);
  if (!deadline.ok()) return reply(Error(400, StatusMessage(deadline.status())));

  serving::InferRequest infer;
  infer.request_id = request.request_id;
  infer.inputs = std::move(*inputs);
  infer.deadline_ms = *deadline;
  serving::InferenceService* service = &service_;
  Clock* clock = &clock_;
  service_.Infer(*model, "", std::move(infer),
                 [service, clock, params, name = *model,
                  reply = std::move(reply)](serving::InferResult result) {
                   if (!result.status.ok()) return reply(Error(result.status));
                   int64_t start = clock->MonotonicNanos();
                   absl::StatusOr<std::vector<Tensor>> outputs =
                       SelectScoringOutputs(std::move(result.outputs), params);
                   if (!outputs.ok()) return reply(DecodeError(outputs.status()));
                   std::string body = EncodePredictions(*outputs);
                   service->RecordSerialize(name, (clock->MonotonicNanos() - start) / 1000);
                   // MLflow's body has no room for it: which model and version answered
                   // (a canary's differ from the deployment's) goes in headers.
                   HttpResponse ok = HttpResponse::Json(200, std::move(body));
                   ok.headers.emplace_back("Ferry-Model", result.model_name);
                   ok.headers.emplace_back("Ferry-Model-Version", result.model_version);
                   reply(std::move(ok));
                 });
}

}  // namespace ferry::http
