#include "http/handlers/auth/auth_guard.h"

#include <any>
#include <optional>
#include <utility>
#include <vector>

#include "auth/auth_service.h"
#include "auth/credentials.h"
#include "auth/login_throttle.h"
#include "auth/secrets.h"
#include "common/json.h"
#include "common/json_writer.h"
#include "common/strings.h"
#include "core/workspace.h"
#include "http/handlers/auth/access_rules.h"
#include "http/handlers/auth/request_resources.h"
#include "http/handlers/auth/session.h"
#include "http/handlers/auth/workspace_member_handlers.h"
#include "http/handlers/request_args.h"
#include "http/status_mapping.h"

namespace ferry::http {
namespace {

using Ids = std::vector<std::string>;

// The resources of the audit log and of denials: "experiment 3" ("experiments 3, 4"),
// "registered model 'm'", "user 'bob'".
std::string ExperimentsText(const Ids& ids) {
  if (ids.empty()) return "";
  std::string text = ids.size() == 1 ? "experiment " : "experiments ";
  for (size_t i = 0; i < ids.size(); ++i) text += (i == 0 ? "" : ", ") + ids[i];
  return text;
}
std::string ModelText(const std::string& name) { return "registered model '" + name + "'"; }
std::string UserText(const std::string& name) { return "user '" + name + "'"; }
std::string WorkspaceText(const std::string& name) { return "workspace '" + name + "'"; }

// The workspace routes name their workspace in the path, not the header.
bool IsWorkspaceRoute(std::string_view pattern) {
  return pattern.find("/mlflow/workspaces") != std::string_view::npos ||
         StartsWith(pattern, "/api/ferry/v1/workspaces/");
}

// What a workspace the caller cannot see answers: the same as one that does not exist.
absl::Status HiddenWorkspace(const std::string& name) {
  return absl::NotFoundError("Workspace '" + name + "' not found");
}

// The workspace a kWorkspace route's path names, and what follows it ("members", "my-role").
std::pair<std::string, std::string> PathWorkspace(const HttpRequest& request) {
  const size_t slash = request.path_rest.find('/');
  if (slash == std::string::npos) return {request.path_rest, ""};
  return {request.path_rest.substr(0, slash), request.path_rest.substr(slash + 1)};
}

// The key of grants on the registered model `name` that `request` names under `rule`: the
// model of the request's workspace (core/workspace.h's WorkspaceKey; `default`'s keep their
// plain names). Deployments (/invocations, /v2/models/NAME) serve `default`'s models; lineage's
// model versions (Locate::kVersionPath) are the request's workspace's.
std::string_view ModelWorkspace(const AccessRule& rule, const HttpRequest& request) {
  if (rule.locate == Locate::kInvocation || rule.locate == Locate::kPathSegment) {
    return kDefaultWorkspace;
  }
  return request.workspace;
}
std::string ModelGrantKey(const AccessRule& rule, const HttpRequest& request,
                          const std::string& name) {
  return WorkspaceKey(ModelWorkspace(rule, request), name);
}

// The request's string field `name`, when it has one that parses.
std::optional<std::string> StringField(const HttpRequest& request, std::string_view name) {
  absl::StatusOr<RequestArgs> args = ArgsOf(request);
  absl::StatusOr<std::optional<std::string>> value = args.ok() ? args->String(name) : args.status();
  return value.ok() ? *value : std::nullopt;
}

class Check {
 public:
  Check(const Router& router, auth::AuthService& auth, auth::LoginThrottle& throttle,
        const std::string& internal, const ResourceLookup& lookup, const AccessRule& rule,
        bool workspace_route)
      : router_(router),
        auth_(auth),
        throttle_(throttle),
        internal_(internal),
        lookup_(lookup),
        rule_(rule),
        workspace_route_(workspace_route) {}

  Router::Verdict operator()(HttpRequest& request) const {
    Router::Verdict verdict;
    if (rule_.need == AccessNeed::kOpen) return verdict;
    const std::string* given = request.Header("authorization");
    const std::optional<std::string> session = given ? std::nullopt : SessionAuthorization(request);
    const std::string* header = given != nullptr ? given : session ? &*session : nullptr;
    if (header == nullptr) {
      verdict.deny =
          Unauthenticated(request,
                          "Authentication required: send HTTP Basic credentials or a Bearer "
                          "token (MLflow's clients and ferry read MLFLOW_TRACKING_USERNAME and "
                          "MLFLOW_TRACKING_PASSWORD, or MLFLOW_TRACKING_TOKEN)");
      return verdict;
    }
    int64_t retry_after_s = 0;
    absl::StatusOr<auth::Principal> who = auth::SecretsEqual(*header, internal_)
                                              ? auth::Principal{0, "ferry-server", true, {}}
                                              : Login(request, *header, &retry_after_s);
    if (!who.ok()) {
      verdict.deny = retry_after_s > 0 ? TooManyFailures(request, retry_after_s)
                                       : Unauthenticated(request, StatusMessage(who.status()));
      return verdict;
    }
    if (session) {
      if (absl::Status same = CheckSameOrigin(request); !same.ok()) {
        verdict.deny =
            router_.ErrorFor(request.path, 403, MlflowErrorCode(same.code()), StatusMessage(same));
        return verdict;
      }
    }
    request.user = who->username;
    request.user_is_admin = who->is_admin;
    if (who->is_admin && Audited(request.method, rule_)) NoteResource(request);
    absl::Status allowed = who->is_admin ? absl::OkStatus() : Authorize(request, *who);
    if (rule_.need == AccessNeed::kWorkspace && Audited(request.method, rule_)) NoteMember(request);
    if (rule_.audit_username && Audited(request.method, rule_)) NoteUser(request);
    if (!allowed.ok()) {
      verdict.deny =
          router_.ErrorFor(request.path, HttpStatusFor(allowed.code()),
                           MlflowErrorCode(allowed.code()), PublicMessage(StatusMessage(allowed)));
      return verdict;
    }
    if (!who->is_admin && rule_.scope != SearchScope::kNone) {
      absl::Status scoped = Scope(*who, request);
      if (!scoped.ok()) {
        verdict.deny =
            router_.ErrorFor(request.path, HttpStatusFor(scoped.code()),
                             MlflowErrorCode(scoped.code()), PublicMessage(StatusMessage(scoped)));
        return verdict;
      }
    }
    verdict.after = After(*who, request);
    return verdict;
  }

 private:
  HttpResponse Unauthenticated(const HttpRequest& request, std::string_view message) const {
    HttpResponse response = router_.ErrorFor(request.path, 401, "UNAUTHENTICATED", message);
    // The web UI asks with its own login page, not the browser's Basic prompt.
    if (request.Header("x-ferry-ui") == nullptr) {
      response.headers.emplace_back("WWW-Authenticate", "Basic realm=\"ferry\"");
    }
    return response;
  }

  // Authenticate, unless this user and address failed ten times in the last minute
  // (*retry_after_s > 0, without checking the password). Bearer tokens count per address.
  absl::StatusOr<auth::Principal> Login(const HttpRequest& request, const std::string& header,
                                        int64_t* retry_after_s) const {
    // The connection's last credential, while its verification stands: a string compare
    // instead of the credential cache's SHA-256 (HttpRequest::connection_memo).
    auto* memo = std::any_cast<ConnectionCredential>(&request.connection_memo);
    if (memo != nullptr && auth::SecretsEqual(memo->authorization, header) &&
        auth_.StillValid(memo->verified)) {
      return memo->verified.principal;
    }
    // While nobody has failed recently (the usual case) no header is parsed for it.
    std::optional<std::string> user;
    if (throttle_.active()) {
      user = BasicUser(header);
      if (int64_t wait_ms = throttle_.RetryAfterMs(*user, request.peer); wait_ms > 0) {
        *retry_after_s = (wait_ms + 999) / 1000;
        return absl::ResourceExhaustedError("too many failed logins");
      }
    }
    absl::StatusOr<auth::AuthService::Remembered> who = auth_.AuthenticateToRemember(header);
    if (absl::IsUnauthenticated(who.status())) {
      throttle_.RecordFailure(user ? *user : BasicUser(header), request.peer);
    } else if (who.ok() && user) {
      throttle_.RecordSuccess(*user, request.peer);
    }
    if (!who.ok()) return who.status();
    request.connection_memo = ConnectionCredential{header, *who};
    return who->principal;
  }

  // A keep-alive connection's last Authorization header and what it was verified as.
  struct ConnectionCredential {
    std::string authorization;
    auth::AuthService::Remembered verified;
  };

  // The Basic username a header names ("" for a token or a malformed header).
  static std::string BasicUser(const std::string& header) {
    absl::StatusOr<auth::Credentials> credentials = auth::ParseAuthorization(header);
    const auth::BasicCredentials* basic =
        credentials.ok() ? std::get_if<auth::BasicCredentials>(&*credentials) : nullptr;
    return basic != nullptr ? basic->username : "";
  }

  HttpResponse TooManyFailures(const HttpRequest& request, int64_t retry_after_s) const {
    HttpResponse response = router_.ErrorFor(
        request.path, 429, "REQUEST_LIMIT_EXCEEDED",
        StrCat("Too many failed logins for this user from this address; try again in ",
               retry_after_s, " s"));
    response.headers.emplace_back("Retry-After", std::to_string(retry_after_s));
    return response;
  }

  absl::Status Authorize(HttpRequest& request, const auth::Principal& who) const {
    // A workspace the caller holds no role in is hidden (--enable-workspaces sets it).
    if (!workspace_route_ && !auth_.CanSeeWorkspace(who, request.workspace)) {
      return HiddenWorkspace(request.workspace);
    }
    switch (rule_.need) {
      case AccessNeed::kOpen:
        return absl::OkStatus();
      case AccessNeed::kUser:
        return rule_.creates ? MayCreate(request, who) : absl::OkStatus();
      case AccessNeed::kWorkspace:
        return MayManage(request, who);
      case AccessNeed::kAdmin:
        return absl::PermissionDeniedError("Permission denied: only admins may do this");
      case AccessNeed::kSelf: {
        ASSIGN_OR_RETURN(RequestArgs args, ArgsOf(request));
        ASSIGN_OR_RETURN(std::optional<std::string> name, args.String(rule_.param));
        if (name) request.audit_resource = UserText(*name);
        if (!name || *name == who.username) return absl::OkStatus();
        return absl::PermissionDeniedError(
            "Permission denied: only admins may do this for "
            "another user");
      }
      case AccessNeed::kExperiment: {
        ASSIGN_OR_RETURN(Ids ids, RequestExperiments(rule_, request, lookup_));
        request.audit_resource = ExperimentsText(ids);
        for (const std::string& id : ids) {
          // Another workspace's experiment: the workspace check answers 404 after this one.
          if (InOtherWorkspace(request, id)) continue;
          if (auth_.ExperimentPermission(who, id, request.workspace) < rule_.level) {
            return Denied("experiment " + id);
          }
        }
        return absl::OkStatus();
      }
      case AccessNeed::kModel: {
        ASSIGN_OR_RETURN(std::optional<std::string> name, RequestModel(rule_, request, lookup_));
        if (name) request.audit_resource = ModelText(*name);
        if (name && auth_.RegisteredModelPermission(who, ModelGrantKey(rule_, request, *name),
                                                    ModelWorkspace(rule_, request)) < rule_.level) {
          return Denied(ModelText(*name));
        }
        return absl::OkStatus();
      }
    }
    return absl::PermissionDeniedError("Permission denied");
  }

  // Outside `default`, creating needs the editor role in the request's workspace.
  absl::Status MayCreate(const HttpRequest& request, const auth::Principal& who) const {
    if (request.workspace == kDefaultWorkspace) return absl::OkStatus();
    std::optional<auth::WorkspaceRole> role = auth_.RoleIn(who, request.workspace);
    if (role && *role >= auth::WorkspaceRole::kEditor) return absl::OkStatus();
    return absl::PermissionDeniedError("Permission denied: the editor role in workspace '" +
                                       request.workspace + "' is required");
  }

  // The member routes: the workspace in the path must be visible; my-role needs no more.
  absl::Status MayManage(const HttpRequest& request, const auth::Principal& who) const {
    auto [workspace, what] = PathWorkspace(request);
    if (!auth_.CanSeeWorkspace(who, workspace)) return HiddenWorkspace(workspace);
    if (request.method == "GET" && what == "my-role") return absl::OkStatus();
    std::optional<auth::WorkspaceRole> role = auth_.RoleIn(who, workspace);
    if (role && *role >= rule_.role) return absl::OkStatus();
    return absl::PermissionDeniedError(StrCat("Permission denied: the ", auth::RoleName(rule_.role),
                                              " role in workspace '", workspace, "' is required"));
  }

  bool InOtherWorkspace(const HttpRequest& request, const std::string& experiment_id) const {
    if (!lookup_.experiment_workspace) return false;
    absl::StatusOr<std::string> workspace = lookup_.experiment_workspace(experiment_id);
    return workspace.ok() && *workspace != request.workspace;
  }

  // The audit log of a member change: "workspace 'team-a', user 'alice'" (or group).
  void NoteMember(HttpRequest& request) const {
    std::string text = WorkspaceText(PathWorkspace(request).first);
    absl::StatusOr<RequestArgs> args = MemberArgs(request);
    auto field = [&args](std::string_view name) -> std::optional<std::string> {
      absl::StatusOr<std::optional<std::string>> value =
          args.ok() ? args->String(name) : args.status();
      return value.ok() ? *value : std::nullopt;
    };
    std::optional<std::string> principal = field("principal");
    std::optional<std::string> kind = field("kind");
    if (principal) text += ", " + kind.value_or("user") + " '" + *principal + "'";
    request.audit_resource = std::move(text);
  }

  // The resource an admin's write names, for the audit log (Authorize notes it for others).
  // Admins are not checked, so a request the handler will refuse just names nothing.
  void NoteResource(HttpRequest& request) const {
    if (rule_.need == AccessNeed::kExperiment) {
      absl::StatusOr<Ids> ids = RequestExperiments(rule_, request, lookup_);
      if (ids.ok()) request.audit_resource = ExperimentsText(*ids);
    } else if (rule_.need == AccessNeed::kModel) {
      absl::StatusOr<std::optional<std::string>> name = RequestModel(rule_, request, lookup_);
      if (name.ok() && name->has_value()) request.audit_resource = ModelText(**name);
    } else if (rule_.need == AccessNeed::kSelf) {
      if (auto name = StringField(request, rule_.param)) request.audit_resource = UserText(*name);
    }
  }

  // Adds the user a grant or user change is about to the audit log's resource.
  void NoteUser(HttpRequest& request) const {
    std::optional<std::string> name = StringField(request, "username");
    if (!name) return;
    std::string& text = request.audit_resource;
    text += (text.empty() ? "" : ", ") + UserText(*name);
  }

  // A search's scope from the caller's grants: with a readable default, everything but the
  // resources granted less than READ; otherwise only the ones granted READ or more.
  // A role that reads opens the whole workspace, which the workspace check then keeps the
  // search in (AccessScope::workspace): no list of ids. Outside `default` without one, only
  // the grants count (such a caller cannot see the workspace, but the rule stays).
  absl::Status Scope(const auth::Principal& who, HttpRequest& request) const {
    if (auth::CanRead(auth::RoleFloor(auth_.RoleIn(who, request.workspace)))) {
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(auth::User user, auth_.GetUser(who.username));
    const bool readable =
        request.workspace == kDefaultWorkspace && auth::CanRead(auth_.default_permission());
    AccessScope scope;
    if (!readable) scope.only.emplace();
    auto add = [&](const std::string& id, auth::Permission p) {
      if (readable && !auth::CanRead(p)) scope.except.push_back(id);
      if (!readable && auth::CanRead(p)) scope.only->push_back(id);
    };
    if (rule_.scope == SearchScope::kExperiments) {
      for (const auth::ExperimentGrant& g : user.experiment_permissions)
        add(g.experiment_id, g.permission);
      request.experiment_scope = std::move(scope);
    } else {
      // Grants name models of one workspace; the search stays in the request's.
      for (const auth::RegisteredModelGrant& g : user.registered_model_permissions) {
        WorkspaceName model = SplitWorkspaceKey(g.name);
        if (model.workspace == request.workspace) add(model.name, g.permission);
      }
      request.model_scope = std::move(scope);
    }
    return absl::OkStatus();
  }

  absl::Status Denied(const std::string& what) const {
    return absl::PermissionDeniedError(
        "Permission denied: " + std::string(auth::PermissionName(rule_.level)) + " on " + what +
        " is required");
  }

  // What to do once the handler answered (grants follow the resources they are about).
  std::function<void(const HttpResponse&)> After(const auth::Principal& who,
                                                 const HttpRequest& request) const;

  const Router& router_;
  auth::AuthService& auth_;
  auth::LoginThrottle& throttle_;
  const std::string& internal_;
  const ResourceLookup& lookup_;
  const AccessRule& rule_;
  const bool workspace_route_;
};

// A string field of a response's JSON body, at `object`.`field` (or `field` alone).
std::optional<std::string> ResponseField(const HttpResponse& response, std::string_view object,
                                         std::string_view field) {
  if (response.status != 200) return std::nullopt;
  absl::StatusOr<JsonValue> body = ParseJson(response.body);
  if (!body.ok()) return std::nullopt;
  const JsonValue* at = object.empty() ? &*body : body->Find(object);
  const JsonValue* value = at != nullptr ? at->Find(field) : nullptr;
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return value->as_string();
}

std::function<void(const HttpResponse&)> Check::After(const auth::Principal& who,
                                                      const HttpRequest& request) const {
  auth::AuthService* auth = &auth_;
  const std::string user = who.username;
  switch (rule_.after) {
    case AfterSuccess::kNothing:
      return nullptr;
    case AfterSuccess::kGrantExperimentCreator:
      return [auth, user](const HttpResponse& response) {
        if (auto id = ResponseField(response, "", "experiment_id")) {
          (void)auth->CreateExperimentGrant(*id, user, auth::Permission::kManage);
        }
      };
    case AfterSuccess::kGrantModelCreator:
      return [auth, user, workspace = request.workspace](const HttpResponse& response) {
        if (auto name = ResponseField(response, "registered_model", "name")) {
          (void)auth->CreateRegisteredModelGrant(WorkspaceKey(workspace, *name), user,
                                                 auth::Permission::kManage);
        }
      };
    case AfterSuccess::kRenameModelGrants:
    case AfterSuccess::kDeleteModelGrants:
      break;
  }
  absl::StatusOr<RequestArgs> args = ArgsOf(request);
  absl::StatusOr<std::optional<std::string>> name =
      args.ok() ? args->String("name") : args.status();
  if (!name.ok() || !name->has_value()) return nullptr;
  if (rule_.after == AfterSuccess::kDeleteModelGrants) {
    return [auth, old = WorkspaceKey(request.workspace, **name)](const HttpResponse& response) {
      if (response.status == 200) (void)auth->DeleteRegisteredModelGrants(old);
    };
  }
  return [auth, old = WorkspaceKey(request.workspace, **name),
          workspace = request.workspace](const HttpResponse& response) {
    if (auto renamed = ResponseField(response, "registered_model", "name")) {
      (void)auth->RenameRegisteredModelGrants(old, WorkspaceKey(workspace, *renamed));
    }
  };
}

}  // namespace

Router::Policy AuthPolicy(const Router& router, auth::AuthService& auth,
                          auth::LoginThrottle& throttle, std::string internal_authorization,
                          ResourceLookup lookup) {
  auto shared = std::make_shared<ResourceLookup>(std::move(lookup));
  auto internal = std::make_shared<std::string>(std::move(internal_authorization));
  return [&router, &auth, &throttle, shared, internal](
             std::string_view method, std::string_view pattern) -> absl::StatusOr<Router::Check> {
    const AccessRule* rule = FindAccessRule(method, pattern);
    if (rule == nullptr) return absl::NotFoundError("no access rule (http/handlers/auth)");
    auto check = std::make_shared<Check>(router, auth, throttle, *internal, *shared, *rule,
                                         IsWorkspaceRoute(pattern));
    return Router::Check(
        [check, shared, internal](HttpRequest& request) { return (*check)(request); });
  };
}

}  // namespace ferry::http

namespace ferry::http {

void RegisterAccessListing(Router& router) {
  router.Add("GET", "/api/ferry/v1/auth/routes", [&router](HttpRequest&) {
    std::string body;
    JsonWriter w(&body);
    w.BeginObject().Key("routes").BeginArray();
    for (size_t i = 0; i < router.route_count(); ++i) {
      const AccessRule* rule = FindAccessRule(router.route_method(i), router.route_pattern(i));
      w.BeginObject()
          .Field("method", router.route_method(i))
          .Field("pattern", router.route_pattern(i))
          .Field("access", rule != nullptr ? DescribeAccessRule(*rule) : "none")
          .FieldBool("audited", rule != nullptr && Audited(router.route_method(i), *rule))
          .EndObject();
    }
    w.EndArray().EndObject();
    return HttpResponse::Json(200, std::move(body));
  });
}

}  // namespace ferry::http
