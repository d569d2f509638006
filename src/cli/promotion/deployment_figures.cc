#include "cli/promotion/deployment_figures.h"

#include <algorithm>

#include "common/bucket_quantile.h"
#include "common/json.h"
#include "common/strings.h"

namespace ferry::cli {
namespace {

absl::StatusOr<ArmFigures> ParseArm(const JsonValue& arm, std::string_view role) {
  if (!arm.is_object())
    return absl::DataLossError(StrCat("deployment: ", role, " is not an object"));
  ArmFigures out;
  auto text = [&](std::string_view key) -> absl::StatusOr<std::string> {
    const JsonValue* v = arm.Find(key);
    if (v == nullptr || !v->is_string()) {
      return absl::DataLossError(StrCat("deployment: ", role, ".", key, " is missing"));
    }
    return v->as_string();
  };
  auto number = [&](std::string_view key) -> absl::StatusOr<double> {
    const JsonValue* v = arm.Find(key);
    if (v == nullptr || !v->is_number()) {
      return absl::DataLossError(StrCat("deployment: ", role, ".", key, " is missing"));
    }
    return v->as_double();
  };
  ASSIGN_OR_RETURN(out.version, text("version"));
  ASSIGN_OR_RETURN(out.state, text("state"));
  ASSIGN_OR_RETURN(double requests, number("requests"));
  ASSIGN_OR_RETURN(double errors, number("errors"));
  ASSIGN_OR_RETURN(out.p50_ms, number("p50_ms"));
  ASSIGN_OR_RETURN(out.p99_ms, number("p99_ms"));
  out.requests = static_cast<int64_t>(requests);
  out.errors = static_cast<int64_t>(errors);
  if (const JsonValue* a = arm.Find("alert_firing"); a && a->is_bool())
    out.alert_firing = a->as_bool();
  if (const JsonValue* b = arm.Find("latency_buckets_us"); b && b->is_array()) {
    for (const JsonValue& bucket : b->items()) {
      const bool ok = bucket.is_array() && bucket.items().size() == 3 &&
                      bucket.items()[0].is_integer() && bucket.items()[1].is_integer() &&
                      bucket.items()[2].is_integer() && bucket.items()[2].as_int() >= 0;
      if (!ok) return absl::DataLossError(StrCat("deployment: ", role, ".latency_buckets_us"));
      out.latency[{bucket.items()[0].as_int(), bucket.items()[1].as_int()}] =
          static_cast<uint64_t>(bucket.items()[2].as_int());
    }
  }
  if (const JsonValue* p = arm.Find("percent"); p && p->is_integer()) {
    out.percent = static_cast<int>(p->as_int());
  }
  return out;
}

}  // namespace

absl::StatusOr<DeploymentFigures> ParseDeploymentFigures(std::string_view json) {
  absl::StatusOr<JsonValue> doc = ParseJson(json);
  if (!doc.ok()) return absl::DataLossError(StrCat("deployment: ", StatusMessage(doc.status())));
  DeploymentFigures out;
  for (const char* role : {"primary", "challenger"}) {
    const JsonValue* arm = doc->Find(role);
    if (arm == nullptr) return absl::DataLossError(StrCat("deployment: no ", role, " field"));
    if (arm->is_null()) continue;
    ASSIGN_OR_RETURN(ArmFigures f, ParseArm(*arm, role));
    (std::string_view(role) == "primary" ? out.primary : out.challenger) = std::move(f);
  }
  // Live monitoring watches the primary: its alerts count for the arm of that version.
  const JsonValue* m = doc->Find("monitoring");
  // Quality from labels, per version (both arms): the server's "quality" (higher is better).
  const JsonValue* arms = m ? m->Find("arms") : nullptr;
  for (std::optional<ArmFigures>* arm : {&out.primary, &out.challenger}) {
    const JsonValue* figures = arms && *arm ? arms->Find((*arm)->version) : nullptr;
    const JsonValue* q = figures ? figures->Find("quality") : nullptr;
    if (q && q->is_number()) (*arm)->quality = q->as_double();
  }
  const JsonValue* version = m ? m->Find("version") : nullptr;
  const JsonValue* state = m ? m->Find("state") : nullptr;
  const JsonValue* alerts = state ? state->Find("alerts") : nullptr;
  if (out.primary && version && version->is_string() &&
      version->as_string() == out.primary->version && alerts && alerts->is_object()) {
    for (const auto& [kind, firing] : alerts->members()) {
      if (firing.is_bool() && firing.as_bool()) out.primary->alert_firing = true;
    }
  }
  return out;
}

double WindowP99Ms(const LatencyBuckets& now, const LatencyBuckets& start) {
  std::vector<int64_t> bounds;
  std::vector<uint64_t> counts;
  int64_t last = 0;
  for (const auto& [range, n] : now) {
    auto it = start.find(range);
    const uint64_t count = n - (it == start.end() ? 0 : std::min(it->second, n));
    if (range.first > last) {  // empty buckets in between: one empty bucket (last, lo]
      bounds.push_back(range.first);
      counts.push_back(0);
    }
    if (range.first == range.second) {  // above the last bound: the overflow bucket
      counts.push_back(count);
      return BucketQuantile(bounds, counts, 0.99) / 1000.0;
    }
    bounds.push_back(range.second);
    counts.push_back(count);
    last = range.second;
  }
  counts.push_back(0);
  return BucketQuantile(bounds, counts, 0.99) / 1000.0;
}

pipeline::ArmStats ChampionStats(const ArmFigures& now, const ArmFigures& start) {
  pipeline::ArmStats s;
  const bool same_arm = now.version == start.version && now.requests >= start.requests;
  s.requests = same_arm ? now.requests - start.requests : now.requests;
  s.errors = same_arm ? std::max<int64_t>(0, now.errors - start.errors) : now.errors;
  // The champion's latency over the canary's period (its whole life would compare its warm
  // start and old traffic with the canary's fresh figures).
  s.p99_ms =
      same_arm && !now.latency.empty() ? WindowP99Ms(now.latency, start.latency) : now.p99_ms;
  s.quality = now.quality;
  s.alert_firing = now.alert_firing;
  return s;
}

pipeline::ArmStats ChallengerStats(const ArmFigures& now) {
  pipeline::ArmStats s;
  s.requests = now.requests;
  s.errors = now.errors;
  s.p99_ms = now.p99_ms;
  s.quality = now.quality;
  s.alert_firing = now.alert_firing;
  return s;
}

}  // namespace ferry::cli
