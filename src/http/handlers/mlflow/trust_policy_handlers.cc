#include "http/handlers/mlflow/trust_policy_handlers.h"

#include <string>

#include "common/clock.h"
#include "common/json_writer.h"
#include "http/handlers/error_response.h"
#include "http/router.h"
#include "package/trust/trust_policy.h"
#include "store/workspace_store.h"

namespace ferry::http {
namespace {

constexpr char kRoute[] = "/api/ferry/v1/trust-policy";
// A policy names keys and model globs; anything near this size is a mistake or an attack.
constexpr size_t kMaxPolicyBytes = 64 * 1024;

std::string What(const std::string& workspace) { return "workspace '" + workspace + "' policy"; }

// {"trust_policy": {"workspace", "policy": {...}, "keys": [{"name", "key_id"}],
//  "updated_by", "updated_time"}}
HttpResponse PolicyResponse(const store::WorkspaceTrustPolicy& stored,
                            const package::TrustPolicy& parsed) {
  std::string body;
  JsonWriter w(&body);
  w.BeginObject().Key("trust_policy").BeginObject();
  w.Field("workspace", stored.workspace).Key("policy").Raw(stored.policy);
  w.Key("keys").BeginArray();
  for (const package::TrustedKey& k : parsed.keys()) {
    w.BeginObject().Field("name", k.name).Field("key_id", k.key.KeyId()).EndObject();
  }
  w.EndArray();
  w.Field("updated_by", stored.updated_by).Field("updated_time", stored.updated_ms);
  w.EndObject().EndObject();
  return HttpResponse::Json(200, body);
}

HttpResponse Get(store::WorkspaceStore& store, const HttpRequest& req) {
  auto stored = store.GetTrustPolicy(req.workspace);
  if (!stored.ok()) return ErrorResponse(stored.status());
  auto parsed = package::TrustPolicy::ParseInline(stored->policy, What(req.workspace));
  if (!parsed.ok()) return ErrorResponse(parsed.status());
  return PolicyResponse(*stored, *parsed);
}

HttpResponse Put(store::WorkspaceStore& store, const HttpRequest& req) {
  if (req.body.size() > kMaxPolicyBytes) {
    return ErrorResponse(absl::InvalidArgumentError(
        "trust policy: " + std::to_string(req.body.size()) + " bytes is over the limit of " +
        std::to_string(kMaxPolicyBytes)));
  }
  auto parsed = package::TrustPolicy::ParseInline(req.body, What(req.workspace));
  if (!parsed.ok()) return ErrorResponse(parsed.status());
  store::WorkspaceTrustPolicy stored{req.workspace, req.body, req.user, SystemClock().NowMillis()};
  if (absl::Status set = store.SetTrustPolicy(stored); !set.ok()) return ErrorResponse(set);
  return PolicyResponse(stored, *parsed);
}

HttpResponse Delete(store::WorkspaceStore& store, const HttpRequest& req) {
  if (absl::Status st = store.DeleteTrustPolicy(req.workspace); !st.ok()) {
    return ErrorResponse(st);
  }
  return HttpResponse::Json(200, "{}");
}

}  // namespace

absl::StatusOr<std::shared_ptr<const package::TrustPolicy>> WorkspaceTrustPolicy(
    store::WorkspaceStore& store, const std::string& workspace) {
  auto stored = store.GetTrustPolicy(workspace);
  if (absl::IsNotFound(stored.status())) return nullptr;
  if (!stored.ok()) return stored.status();
  ASSIGN_OR_RETURN(package::TrustPolicy parsed,
                   package::TrustPolicy::ParseInline(stored->policy, What(workspace)));
  return std::make_shared<const package::TrustPolicy>(std::move(parsed));
}

void RegisterTrustPolicyRoutes(Router& router, store::WorkspaceStore& store) {
  router.Add("GET", kRoute, [&store](HttpRequest& req) { return Get(store, req); });
  router.Add("PUT", kRoute, [&store](HttpRequest& req) { return Put(store, req); });
  router.Add("DELETE", kRoute, [&store](HttpRequest& req) { return Delete(store, req); });
}

}  // namespace ferry::http
