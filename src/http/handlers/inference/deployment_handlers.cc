#include "http/handlers/inference/deployment_handlers.h"

#include <algorithm>

#include "common/json.h"
#include "common/json_writer.h"
#include "common/strings.h"
#include "http/handlers/error_response.h"
#include "http/status_mapping.h"

namespace ferry::http {
namespace {

constexpr std::string_view kPrefix = "/api/ferry/v1/deployments";

void WriteArm(JsonWriter& w, const serving::LoadedVersion& v, int64_t now_ms) {
  const serving::ArmSnapshot s = v.arm()->Snapshot();
  w.Field("model", v.ref().name)
      .Field("version", v.version())
      .Field("state", serving::ModelStateName(v.state()));
  w.Field("loaded_at_ms", s.loaded_at_ms)
      .FieldDouble("seconds_loaded", std::max<int64_t>(0, now_ms - s.loaded_at_ms) / 1000.0);
  w.Field("requests", s.requests).Field("errors", s.errors);
  w.FieldDouble("error_rate", s.requests > 0 ? static_cast<double>(s.errors) / s.requests : 0.0);
  w.FieldDouble("p50_ms", s.p50_ms).FieldDouble("p99_ms", s.p99_ms);
  // [[lo, hi, count]] per non-empty bucket (latencies in (lo, hi] microseconds; above the
  // last bound: lo = hi): a client subtracts two readings for the figures of a period.
  const std::vector<int64_t>& bounds = serving::ArmCounters::Bounds();
  w.Key("latency_buckets_us").BeginArray();
  for (size_t i = 0; i < s.latency_counts.size(); ++i) {
    if (s.latency_counts[i] == 0) continue;
    const int64_t hi = i < bounds.size() ? bounds[i] : bounds.back();
    const int64_t lo = i == 0 ? 0 : bounds[std::min(i, bounds.size()) - 1];
    w.BeginArray().Int(lo).Int(hi).Int(static_cast<int64_t>(s.latency_counts[i])).EndArray();
  }
  w.EndArray();
}

void WriteFailure(JsonWriter& w, const std::optional<serving::LoadFailure>& failure) {
  w.Key("last_error");
  if (!failure) {
    w.Null();
    return;
  }
  w.BeginObject()
      .Field("arm", serving::ArmName(failure->arm))
      .Field("version", failure->version)
      .Field("message", PublicMessage(failure->message))
      .Field("at_ms", failure->at_ms)
      .EndObject();
}

HttpResponse NotFound(std::string_view name) {
  return ErrorResponse(absl::NotFoundError(StrCat("deployment \"", name, "\" not found")));
}

// {"percent": N} with N an integer 0..100.
absl::StatusOr<int> ParsePercent(const std::string& body) {
  ASSIGN_OR_RETURN(JsonValue v, ParseJson(body));
  const JsonValue* p = v.Find("percent");
  if (p == nullptr || !p->is_integer() || p->as_int() < 0 || p->as_int() > 100) {
    return absl::InvalidArgumentError("field 'percent' must be an integer from 0 to 100");
  }
  return static_cast<int>(p->as_int());
}

}  // namespace

std::string DeploymentJson(const serving::Deployment& d, int64_t now_ms,
                           const std::string& monitoring) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Field("name", d.name());
  w.Key("primary");
  if (serving::LoadedVersionPtr p = d.primary()) {
    w.BeginObject();
    WriteArm(w, *p, now_ms);
    w.EndObject();
  } else {
    w.Null();
  }
  w.Key("challenger");
  if (serving::LoadedVersionPtr c = d.challenger()) {
    const serving::ChallengerPolicy policy = d.policy();
    w.BeginObject();
    WriteArm(w, *c, now_ms);
    w.Field("mode", policy.mode == serving::ChallengerMode::kShadow ? "shadow" : "canary");
    w.Field("percent", static_cast<int64_t>(policy.canary_percent));
    w.EndObject();
  } else {
    w.Null();
  }
  w.Key("monitoring");
  if (monitoring.empty()) {
    w.Null();
  } else {
    w.Raw(monitoring);
  }
  WriteFailure(w, d.last_failure());
  w.EndObject();
  return out;
}

void AddDeploymentRoutes(Router& router, const serving::ModelManager& manager, Clock& clock,
                         CanaryPercentSetter set_percent, MonitoringEntry monitoring) {
  auto json = [&manager, &clock, monitoring](const serving::Deployment& d) {
    return DeploymentJson(d, clock.NowMillis(), monitoring ? monitoring(d.name()) : "");
  };
  router.Add("GET", kPrefix, [&manager, json](HttpRequest&) {
    std::string body = "{\"deployments\":[";
    bool first = true;
    for (const serving::DeploymentPtr& d : manager.All()) {
      if (!first) body += ",";
      first = false;
      body += json(*d);
    }
    body += "]}";
    return HttpResponse::Json(200, std::move(body));
  });
  router.Add("GET", StrCat(kPrefix, "/*"), [&manager, json](HttpRequest& r) {
    serving::DeploymentPtr d = manager.Find(r.path_rest);
    if (r.path_rest.empty() || r.path_rest.find('/') != std::string::npos || !d) {
      return NotFound(r.path_rest);
    }
    return HttpResponse::Json(200, json(*d));
  });
  router.Add("POST", StrCat(kPrefix, "/*"), [&manager, json, set_percent](HttpRequest& r) {
    constexpr std::string_view kCanary = "/canary";
    const std::string& rest = r.path_rest;
    if (rest.size() <= kCanary.size() || !EndsWith(rest, kCanary)) {
      return ErrorResponse(404, "ENDPOINT_NOT_FOUND", "POST .../deployments/NAME/canary only");
    }
    const std::string name = rest.substr(0, rest.size() - kCanary.size());
    if (!set_percent) {
      return ErrorResponse(501, "NOT_IMPLEMENTED", "this server does not follow challengers");
    }
    absl::StatusOr<int> percent = ParsePercent(r.body);
    if (!percent.ok()) return ErrorResponse(percent.status());
    if (absl::Status s = set_percent(name, *percent); !s.ok()) return ErrorResponse(s);
    serving::DeploymentPtr d = manager.Find(name);
    if (!d) {  // the primary is not loaded (yet): the share is kept for the challenger
      std::string body;
      JsonWriter(&body)
          .BeginObject()
          .Field("name", name)
          .Key("primary")
          .Null()
          .Key("challenger")
          .Null()
          .Key("monitoring")
          .Null()
          .Key("last_error")
          .Null()
          .EndObject();
      return HttpResponse::Json(200, std::move(body));
    }
    return HttpResponse::Json(200, json(*d));
  });
}

}  // namespace ferry::http
