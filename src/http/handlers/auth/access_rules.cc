#include "http/handlers/auth/access_rules.h"

#include <string>

#include "common/strings.h"

namespace ferry::http {
namespace {

using auth::Permission;
constexpr Permission kRead = Permission::kRead;
constexpr Permission kUse = Permission::kUse;
constexpr Permission kEdit = Permission::kEdit;
constexpr Permission kManage = Permission::kManage;

constexpr AccessRule Rule(AccessNeed need, Permission level = Permission::kNoPermissions,
                          Locate locate = Locate::kNone, std::string_view param = "",
                          AfterSuccess after = AfterSuccess::kNothing,
                          SearchScope scope = SearchScope::kNone) {
  return AccessRule{need, level, locate, param, after, scope};
}
// A POST that reads (searches, inference): not in the audit log.
constexpr AccessRule ReadOnly(AccessRule rule) {
  rule.read_only = true;
  return rule;
}
// A change to a user or to a user's grant: the audit log names that user.
constexpr AccessRule AboutUser(AccessRule rule) {
  rule.audit_username = true;
  return rule;
}
// Creates an experiment or a model in the request's workspace (the editor role outside
// `default`); its creator gets MANAGE on it.
constexpr AccessRule Creates(AfterSuccess after) {
  AccessRule rule = Rule(AccessNeed::kUser, Permission::kNoPermissions, Locate::kNone, "", after);
  rule.creates = true;
  return rule;
}
// The members of the workspace the path names (roles per workspace).
constexpr AccessRule Members(auth::WorkspaceRole role) {
  AccessRule rule = Rule(AccessNeed::kWorkspace, Permission::kNoPermissions, Locate::kPathSegment);
  rule.role = role;
  return rule;
}
constexpr AccessRule Open() { return Rule(AccessNeed::kOpen); }
constexpr AccessRule User(AfterSuccess after = AfterSuccess::kNothing) {
  return Rule(AccessNeed::kUser, Permission::kNoPermissions, Locate::kNone, "", after);
}
constexpr AccessRule Search(SearchScope scope) {
  return Rule(AccessNeed::kUser, Permission::kNoPermissions, Locate::kNone, "",
              AfterSuccess::kNothing, scope);
}
constexpr AccessRule Admin() { return Rule(AccessNeed::kAdmin, Permission::kManage); }
constexpr AccessRule Self() {
  return Rule(AccessNeed::kSelf, Permission::kNoPermissions, Locate::kParam, "username");
}
constexpr AccessRule Experiment(Permission level, Locate locate = Locate::kParam,
                                std::string_view param = "experiment_id") {
  return Rule(AccessNeed::kExperiment, level, locate, param);
}
constexpr AccessRule Run(Permission level) {
  return Rule(AccessNeed::kExperiment, level, Locate::kRun, "run_id");
}
constexpr AccessRule Runs(Permission level, std::string_view param) {
  return Rule(AccessNeed::kExperiment, level, Locate::kRunList, param);
}
constexpr AccessRule Model(Permission level, AfterSuccess after = AfterSuccess::kNothing,
                           Locate locate = Locate::kParam) {
  return Rule(AccessNeed::kModel, level, locate, "name", after);
}
// A deployment, named by a path segment or a field, stands for the registered model it serves
// (a deployment is named after its model).
constexpr AccessRule Deployment(Permission level, std::string_view field = "") {
  return field.empty() ? Rule(AccessNeed::kModel, level, Locate::kPathSegment)
                       : Rule(AccessNeed::kModel, level, Locate::kParam, field);
}

struct Entry {
  std::string_view method;
  std::string_view pattern;  // MLflow routes without their /api/2.0 or /ajax-api/2.0
  AccessRule rule;
};

constexpr Entry kRules[] = {
    // Probes and the UI's files: open, as MLflow's /static, /favicon.ico and /health.
    {"GET", "/", Open()},
    {"GET", "/static/*", Open()},
    {"GET", "/health", Open()},
    {"GET", "/ping", Open()},
    {"GET", "/version", Open()},
    {"GET", "/v2/health/live", Open()},
    {"GET", "/v2/health/ready", Open()},
    {"GET", "/metrics", Admin()},

    // Experiments.
    {"POST", "/mlflow/experiments/create", Creates(AfterSuccess::kGrantExperimentCreator)},
    {"GET", "/mlflow/experiments/get", Experiment(kRead)},
    {"GET", "/mlflow/experiments/get-by-name",
     Experiment(kRead, Locate::kExperimentName, "experiment_name")},
    {"GET", "/mlflow/experiments/search", Search(SearchScope::kExperiments)},
    {"POST", "/mlflow/experiments/search", ReadOnly(Search(SearchScope::kExperiments))},
    {"GET", "/mlflow/experiments/list", Search(SearchScope::kExperiments)},
    {"POST", "/mlflow/experiments/update", Experiment(kEdit)},
    {"POST", "/mlflow/experiments/set-experiment-tag", Experiment(kEdit)},
    {"POST", "/mlflow/experimentsset-experiment-tag", Experiment(kEdit)},
    {"POST", "/mlflow/experiments/delete", Experiment(kManage)},
    {"POST", "/mlflow/experiments/restore", Experiment(kManage)},
    {"POST", "/mlflow/experiments/search-datasets",
     ReadOnly(Experiment(kRead, Locate::kParamList, "experiment_ids"))},

    // Runs, their metrics and artifacts.
    {"POST", "/mlflow/runs/create", Experiment(kEdit)},
    {"GET", "/mlflow/runs/get", Run(kRead)},
    {"POST", "/mlflow/runs/search",
     ReadOnly(Experiment(kRead, Locate::kParamList, "experiment_ids"))},
    {"POST", "/mlflow/runs/update", Run(kEdit)},
    {"POST", "/mlflow/runs/log-metric", Run(kEdit)},
    {"POST", "/mlflow/runs/log-parameter", Run(kEdit)},
    {"POST", "/mlflow/runs/log-batch", Run(kEdit)},
    {"POST", "/mlflow/runs/log-model", Run(kEdit)},
    {"POST", "/mlflow/runs/log-inputs", Run(kEdit)},
    {"POST", "/mlflow/runs/set-tag", Run(kEdit)},
    {"POST", "/mlflow/runs/delete-tag", Run(kEdit)},
    {"POST", "/mlflow/runs/delete", Run(kManage)},
    {"POST", "/mlflow/runs/restore", Run(kManage)},
    {"GET", "/mlflow/metrics/get-history", Run(kRead)},
    {"GET", "/mlflow/metrics/get-history-bulk", Runs(kRead, "run_id")},
    {"GET", "/mlflow/metrics/get-history-bulk-interval", Runs(kRead, "run_ids")},
    {"GET", "/mlflow/artifacts/list", Run(kRead)},
    {"GET", "/get-artifact", Run(kRead)},
    {"POST", "/mlflow/upload-artifact", Run(kEdit)},
    {"GET", "/api/ferry/v1/metrics/buckets", Run(kRead)},
    {"POST", "/api/ferry/v1/runs/metric-extremes", ReadOnly(Runs(kRead, "run_ids"))},
    {"POST", "/api/ferry/v1/runs/children",
     ReadOnly(Experiment(kRead, Locate::kParamList, "experiment_ids"))},
    {"GET", "/api/ferry/v1/runs/export.csv",
     Experiment(kRead, Locate::kParamList, "experiment_ids")},

    // The artifact proxy: <experiment id>/<run id>/artifacts/... (packages/ is read-only).
    {"GET", "/mlflow-artifacts/artifacts", Experiment(kRead, Locate::kArtifactPath)},
    {"GET", "/mlflow-artifacts/artifacts/*", Experiment(kRead, Locate::kArtifactPath)},
    {"PUT", "/mlflow-artifacts/artifacts/*", Experiment(kEdit, Locate::kArtifactPath)},
    {"DELETE", "/mlflow-artifacts/artifacts/*", Experiment(kManage, Locate::kArtifactPath)},
    // MLflow's multipart upload through the proxy, and Ferry's part URLs: as an upload.
    {"POST", "/mlflow-artifacts/mpu/create/*", Experiment(kEdit, Locate::kArtifactPath)},
    {"POST", "/mlflow-artifacts/mpu/complete/*", Experiment(kEdit, Locate::kArtifactPath)},
    {"POST", "/mlflow-artifacts/mpu/abort/*", Experiment(kEdit, Locate::kArtifactPath)},
    {"PUT", "/mlflow-artifacts/mpu/upload/*", Experiment(kEdit, Locate::kArtifactPath)},

    // Registered models and their versions.
    {"POST", "/mlflow/registered-models/create", Creates(AfterSuccess::kGrantModelCreator)},
    {"GET", "/mlflow/registered-models/get", Model(kRead)},
    {"GET", "/mlflow/registered-models/search", Search(SearchScope::kModels)},
    {"GET", "/mlflow/registered-models/get-latest-versions", Model(kRead)},
    {"POST", "/mlflow/registered-models/get-latest-versions", ReadOnly(Model(kRead))},
    {"GET", "/mlflow/registered-models/alias", Model(kRead)},
    {"PATCH", "/mlflow/registered-models/update", Model(kEdit)},
    {"POST", "/mlflow/registered-models/rename", Model(kEdit, AfterSuccess::kRenameModelGrants)},
    {"POST", "/mlflow/registered-models/set-tag", Model(kEdit)},
    {"DELETE", "/mlflow/registered-models/delete-tag", Model(kEdit)},
    {"POST", "/mlflow/registered-models/alias", Model(kEdit)},
    {"DELETE", "/mlflow/registered-models/alias", Model(kManage)},
    {"DELETE", "/mlflow/registered-models/delete",
     Model(kManage, AfterSuccess::kDeleteModelGrants)},
    {"POST", "/mlflow/model-versions/create", Model(kEdit)},
    {"GET", "/mlflow/model-versions/get", Model(kRead)},
    {"GET", "/mlflow/model-versions/get-download-uri", Model(kRead)},
    {"GET", "/mlflow/model-versions/search", Search(SearchScope::kModels)},
    {"PATCH", "/mlflow/model-versions/update", Model(kEdit)},
    {"POST", "/mlflow/model-versions/transition-stage", Model(kEdit)},
    {"POST", "/mlflow/model-versions/set-tag", Model(kEdit)},
    {"DELETE", "/mlflow/model-versions/delete-tag", Model(kManage)},
    {"DELETE", "/mlflow/model-versions/delete", Model(kManage)},
    {"GET", "/model-versions/get-artifact", Model(kRead)},

    // Users and grants (MLflow's basic-auth routes).
    {"POST", "/mlflow/users/create", AboutUser(Admin())},
    {"GET", "/mlflow/users/get", Self()},
    {"GET", "/mlflow/users/current", User()},
    {"GET", "/mlflow/users/list", Admin()},
    {"PATCH", "/mlflow/users/update-password", Self()},
    {"PATCH", "/mlflow/users/update-admin", AboutUser(Admin())},
    {"DELETE", "/mlflow/users/delete", AboutUser(Admin())},
    {"POST", "/mlflow/experiments/permissions/create", AboutUser(Experiment(kManage))},
    {"GET", "/mlflow/experiments/permissions/get", Experiment(kManage)},
    {"PATCH", "/mlflow/experiments/permissions/update", AboutUser(Experiment(kManage))},
    {"DELETE", "/mlflow/experiments/permissions/delete", AboutUser(Experiment(kManage))},
    {"POST", "/mlflow/registered-models/permissions/create", AboutUser(Model(kManage))},
    {"GET", "/mlflow/registered-models/permissions/get", Model(kManage)},
    {"PATCH", "/mlflow/registered-models/permissions/update", AboutUser(Model(kManage))},
    {"DELETE", "/mlflow/registered-models/permissions/delete", AboutUser(Model(kManage))},
    {"GET", "/api/ferry/v1/tokens", User()},
    {"POST", "/api/ferry/v1/tokens", User()},
    {"DELETE", "/api/ferry/v1/tokens/*", User()},
    {"GET", "/api/ferry/v1/auth/routes", Admin()},
    {"POST", "/api/ferry/v1/auth/login", Open()},  // throttled like every login
    {"POST", "/api/ferry/v1/auth/logout", User()},
    {"GET", "/api/ferry/v1/auth/session", Open()},        // says who, checking credentials itself
    {"GET", "/api/ferry/v1/auth/oidc/login", Open()},     // OIDC sign-in: to the provider
    {"GET", "/api/ferry/v1/auth/oidc/callback", Open()},  // and back; throttled on failure
    {"GET", "/api/ferry/v1/audit", Admin()},

    // Workspaces (--enable-workspaces, MLflow 3's /api/3.0 routes): users list and read them,
    // admins make, change and delete them.
    {"GET", "/mlflow/workspaces", User()},
    {"POST", "/mlflow/workspaces", Admin()},
    {"GET", "/mlflow/workspaces/*", User()},
    {"PATCH", "/mlflow/workspaces/*", Admin()},
    {"DELETE", "/mlflow/workspaces/*", Admin()},
    // Roles per workspace: managers read the members, the workspace's admins change them;
    // GET .../my-role needs only to see the workspace. The audit log names the member.
    {"GET", "/api/ferry/v1/workspaces/*", Members(auth::WorkspaceRole::kManager)},
    {"PUT", "/api/ferry/v1/workspaces/*", Members(auth::WorkspaceRole::kAdmin)},
    {"DELETE", "/api/ferry/v1/workspaces/*", Members(auth::WorkspaceRole::kAdmin)},

    // Ferry's own API. Webhooks can reach other hosts and packages are stored for everyone:
    // webhooks are for admins; any user may hand in a package (registering it needs EDIT).
    {"GET", "/api/ferry/v1/webhooks", Admin()},
    {"POST", "/api/ferry/v1/webhooks", Admin()},
    {"GET", "/api/ferry/v1/webhooks/*", Admin()},
    {"DELETE", "/api/ferry/v1/webhooks/*", Admin()},
    {"POST", "/api/ferry/v1/packages", User()},
    // The request's workspace's package trust policy: public keys and rules, readable by all.
    {"GET", "/api/ferry/v1/trust-policy", User()},
    {"PUT", "/api/ferry/v1/trust-policy", Admin()},
    {"DELETE", "/api/ferry/v1/trust-policy", Admin()},
    {"GET", "/api/ferry/v1/lineage/runs/*", Experiment(kRead, Locate::kPathSegment)},
    {"GET", "/api/ferry/v1/lineage/model-versions/*", Model(kRead, {}, Locate::kVersionPath)},
    {"GET", "/api/ferry/v1/lineage/datasets/*", Admin()},

    // Serving: status for users; inference needs USE on the model; control is for admins.
    {"GET", "/api/ferry/v1/deployments", User()},
    {"GET", "/api/ferry/v1/deployments/*", User()},
    {"POST", "/api/ferry/v1/deployments/*", Admin()},
    {"GET", "/v2", User()},
    {"GET", "/v2/models/*", Deployment(kRead)},
    {"POST", "/v2/models/*", ReadOnly(Deployment(kUse))},
    {"GET", "/api/ferry/v1/monitoring/deployments", User()},
    {"GET", "/api/ferry/v1/monitoring/deployments/*", Deployment(kRead)},
    {"POST", "/api/ferry/v1/monitoring/labels", Deployment(kEdit, "deployment")},
    {"POST", "/invocations", ReadOnly(Rule(AccessNeed::kModel, kUse, Locate::kInvocation))},
};

std::string_view WithoutMlflowPrefix(std::string_view pattern) {
  for (std::string_view prefix : {"/api/2.0", "/ajax-api/2.0", "/api/3.0", "/ajax-api/3.0"}) {
    if (StartsWith(pattern, prefix) && StartsWith(pattern.substr(prefix.size()), "/mlflow")) {
      return pattern.substr(prefix.size());
    }
  }
  return pattern;
}

std::string_view LocateName(const AccessRule& rule) {
  switch (rule.locate) {
    case Locate::kArtifactPath:
      return "the artifact path's first segment";
    case Locate::kPathSegment:
      return "the path segment after the route";
    case Locate::kVersionPath:
      return "the path's model name, before the version";
    case Locate::kRun:
      return "run_id";
    case Locate::kInvocation:
      return "the Ferry-Model header, else the only deployment";
    default:
      return rule.param;
  }
}

}  // namespace

std::string DescribeAccessRule(const AccessRule& rule) {
  switch (rule.need) {
    case AccessNeed::kOpen:
      return "open";
    case AccessNeed::kUser:
      if (rule.creates) return "user (editor role outside the default workspace)";
      return rule.scope == SearchScope::kNone ? "user" : "user (sees what it may read)";
    case AccessNeed::kAdmin:
      return "admin";
    case AccessNeed::kSelf:
      return "self (" + std::string(rule.param) + ") or admin";
    case AccessNeed::kWorkspace:
      return StrCat("workspace role ", auth::RoleName(rule.role),
                    " (the path's workspace; my-role: any who see it)");
    case AccessNeed::kExperiment:
    case AccessNeed::kModel:
      break;
  }
  return StrCat(rule.need == AccessNeed::kExperiment ? "experiment " : "registered model ",
                auth::PermissionName(rule.level), " (", LocateName(rule), ")");
}

bool Audited(std::string_view method, const AccessRule& rule) {
  return !rule.read_only && method != "GET" && method != "HEAD" && method != "OPTIONS";
}

const AccessRule* FindAccessRule(std::string_view method, std::string_view pattern) {
  pattern = WithoutMlflowPrefix(pattern);
  for (const Entry& entry : kRules) {
    if (entry.method == method && entry.pattern == pattern) return &entry.rule;
  }
  return nullptr;
}

}  // namespace ferry::http
