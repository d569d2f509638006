#include "http/handlers/monitoring/monitoring_handlers.h"

#include <cmath>
#include <memory>
#include <string>

#include "common/strings.h"
#include "http/handlers/error_response.h"
#include "http/handlers/handler_util.h"

namespace ferry::http {
namespace {

constexpr char kPrefix[] = "/api/ferry/v1/monitoring";

absl::Status FieldError(const std::string& field, const std::string& reason) {
  return absl::InvalidArgumentError(field + ": " + reason);
}

absl::StatusOr<PostedLabel> ParseLabel(const JsonValue& item, size_t i) {
  const std::string at = "labels[" + std::to_string(i) + "]";
  if (!item.is_object()) return FieldError(at, "expected an object");
  PostedLabel label;
  const JsonValue* id = item.Find("request_id");
  if (id == nullptr || id->is_null()) return FieldError(at + ".request_id", "missing");
  if (!id->is_string() || id->as_string().empty()) {
    return FieldError(at + ".request_id", "expected a non-empty string");
  }
  label.request_id = id->as_string();
  if (const JsonValue* row = item.Find("row"); row != nullptr && !row->is_null()) {
    if (!row->is_integer() || row->as_int() < 0) {
      return FieldError(at + ".row", "expected a non-negative integer");
    }
    label.row = static_cast<uint64_t>(row->as_int());
  }
  const JsonValue* v = item.Find("label");
  if (v == nullptr || v->is_null()) return FieldError(at + ".label", "missing");
  if (v->is_bool()) {
    label.number = v->as_bool() ? 1 : 0;
  } else if (v->is_number()) {
    label.number = v->as_double();
    if (!std::isfinite(label.number)) return FieldError(at + ".label", "not a finite number");
  } else if (v->is_string()) {
    label.numeric = false;
    label.text = v->as_string();
  } else {
    return FieldError(at + ".label", "expected a number, a string or a boolean");
  }
  return label;
}

absl::StatusOr<int> MaxResults(const RequestArgs& a) {
  ASSIGN_OR_RETURN(std::optional<int64_t> n, a.Int64("max_results"));
  if (!n) return kDefaultWindowResults;
  if (*n < 1 || *n > kMaxWindowResults) {
    return FieldError("max_results", "must be between 1 and " + std::to_string(kMaxWindowResults) +
                                         ", got " + std::to_string(*n));
  }
  return static_cast<int>(*n);
}

// A labels request handed to the worker: what the handler reads of it (the body moved in)
// and the Responder that answers it.
struct LabelsJob {
  LabelsJob(const HttpRequest& r, Responder responder) : responder(std::move(responder)) {
    request.method = r.method;
    request.target = r.target;
    request.path = r.path;
    request.query = r.query;
    request.headers = r.headers;
    request.request_id = r.request_id;
  }
  HttpRequest request;
  Responder responder;
};

HttpResponse NoEndpoint() {
  return ErrorResponse(404, "ENDPOINT_NOT_FOUND", "No such monitoring endpoint");
}

// GET deployments/{name}/windows and deployments/{name}/alerts.
Handler ByDeployment(MonitoringApi& api) {
  return [&api](HttpRequest& req) -> HttpResponse {
    const std::string& rest = req.path_rest;
    const size_t slash = rest.find('/');
    if (slash == std::string::npos || slash == 0) return NoEndpoint();
    const std::string name = rest.substr(0, slash);
    const std::string what = rest.substr(slash + 1);
    if (what != "windows" && what != "alerts") return NoEndpoint();
    Handler h = JsonHandler([&api, name, what](const RequestArgs& a, JsonWriter& w) {
      if (what == "alerts") {
        ASSIGN_OR_RETURN(std::string alerts, api.AlertsJson(name));
        w.Field("deployment", name).Key("alerts").Raw(alerts);
        return absl::OkStatus();
      }
      ASSIGN_OR_RETURN(int max_results, MaxResults(a));
      ASSIGN_OR_RETURN(std::string windows, api.WindowsJson(name, max_results));
      w.Field("deployment", name).Key("windows").Raw(windows);
      return absl::OkStatus();
    });
    return h(req);
  };
}

}  // namespace

absl::StatusOr<LabelsRequest> ParseLabelsRequest(const JsonValue& body) {
  if (!body.is_object()) return absl::InvalidArgumentError("body: expected a JSON object");
  LabelsRequest r;
  const JsonValue* d = body.Find("deployment");
  if (d == nullptr || d->is_null()) return FieldError("deployment", "missing");
  if (!d->is_string() || d->as_string().empty()) {
    return FieldError("deployment", "expected a non-empty string");
  }
  r.deployment = d->as_string();
  const JsonValue* labels = body.Find("labels");
  if (labels == nullptr || labels->is_null()) return FieldError("labels", "missing");
  if (!labels->is_array()) return FieldError("labels", "expected an array");
  if (labels->items().empty()) return FieldError("labels", "empty");
  if (labels->items().size() > kMaxLabelsPerBatch) {
    return FieldError("labels", std::to_string(labels->items().size()) + " labels, at most " +
                                    std::to_string(kMaxLabelsPerBatch) + " per request");
  }
  r.labels.reserve(labels->items().size());
  for (size_t i = 0; i < labels->items().size(); ++i) {
    ASSIGN_OR_RETURN(PostedLabel label, ParseLabel(labels->items()[i], i));
    r.labels.push_back(std::move(label));
  }
  return r;
}

Handler LabelsHandler(MonitoringApi& api) {
  return JsonHandler([&api](const RequestArgs& a, JsonWriter& w) {
    ASSIGN_OR_RETURN(LabelsRequest r, ParseLabelsRequest(a.body()));
    ASSIGN_OR_RETURN(LabelCounts c, api.AddLabels(r.deployment, std::move(r.labels)));
    w.Field("deployment", r.deployment)
        .Field("matched", c.matched)
        .Field("unknown", c.unknown)
        .Field("duplicate", c.duplicate)
        .Field("late", c.late)
        .Field("unbuffered", c.unbuffered);
    return absl::OkStatus();
  });
}

void RegisterMonitoringRoutes(Router& router, MonitoringApi& api, BlockingWorker& worker) {
  const std::string prefix = kPrefix;
  router.Add("GET", prefix + "/deployments", JsonHandler([&api](const RequestArgs&, JsonWriter& w) {
               w.Key("deployments").Raw(api.DeploymentsJson());
               return absl::OkStatus();
             }));
  router.Add("GET", prefix + "/deployments/*", ByDeployment(api));
  // Adding labels first waits for the predictions queued before them: on the worker, never
  // on an event loop.
  Handler labels = LabelsHandler(api);
  router.AddAsync(
      "POST", prefix + "/labels", [labels, &worker](HttpRequest& request, Responder responder) {
        auto job = std::make_shared<LabelsJob>(request, std::move(responder));
        job->request.body = std::move(request.body);
        absl::Status queued =
            worker.TrySubmit([labels, job] { job->responder.Send(labels(job->request)); });
        if (!queued.ok()) job->responder.Send(ErrorResponse(queued));
      });
}

}  // namespace ferry::http
