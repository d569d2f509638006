#include "http/handlers/auth/user_handlers.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "auth/auth_service.h"
#include "core/workspace.h"
#include "http/handlers/handler_util.h"

namespace ferry::http {
namespace {

using auth::AuthService;

// id, username and is_admin, inside an object the caller opened.
void WriteUserFields(JsonWriter& w, const auth::User& user) {
  w.Field("id", user.id).Field("username", user.username).FieldBool("is_admin", user.is_admin);
}

// The user with their grants; grants on registered models only of `workspace` (a grant names
// a model of one workspace: core/workspace.h's WorkspaceKey), under the model's plain name.
void WriteUser(JsonWriter& w, const auth::User& user,
               std::string_view workspace = kDefaultWorkspace) {
  w.Key("user").BeginObject();
  WriteUserFields(w, user);
  w.Key("experiment_permissions").BeginArray();
  for (const auth::ExperimentGrant& g : user.experiment_permissions) {
    w.BeginObject()
        .Field("experiment_id", g.experiment_id)
        .Field("user_id", g.user_id)
        .Field("permission", auth::PermissionName(g.permission))
        .EndObject();
  }
  w.EndArray().Key("registered_model_permissions").BeginArray();
  for (const auth::RegisteredModelGrant& g : user.registered_model_permissions) {
    WorkspaceName model = SplitWorkspaceKey(g.name);
    if (model.workspace != workspace) continue;
    w.BeginObject()
        .Field("name", model.name)
        .Field("user_id", g.user_id)
        .Field("permission", auth::PermissionName(g.permission))
        .EndObject();
  }
  w.EndArray().EndObject();
}

absl::StatusOr<auth::Permission> PermissionArg(const RequestArgs& a) {
  ASSIGN_OR_RETURN(std::string name, a.RequiredString("permission"));
  std::optional<auth::Permission> permission = auth::ParsePermission(name);
  if (!permission) return absl::InvalidArgumentError(auth::InvalidPermissionMessage(name));
  return *permission;
}

// MLflow's client sends is_admin as a JSON boolean; its form posts send "true"/"false".
absl::StatusOr<bool> IsAdminArg(const RequestArgs& a) {
  if (auto flag = a.Bool("is_admin"); flag.ok() && flag->has_value()) return **flag;
  absl::StatusOr<std::string> text = a.RequiredString("is_admin");
  if (!text.ok()) return text.status();
  const std::string_view value = *text;
  if (value == "true" || value == "True") return true;
  if (value == "false" || value == "False") return false;
  return InvalidParam("is_admin", JsonValue::String(*text));
}

void AddUserRoutes(Router& router, AuthService& auth) {
  const std::string p = "/mlflow/users/";
  AddMlflowRoute(router, "POST", p + "create",
                 JsonHandler([&auth](const RequestArgs& a, JsonWriter& w) {
                   ASSIGN_OR_RETURN(std::string username, a.RequiredString("username"));
                   ASSIGN_OR_RETURN(std::string password, a.RequiredString("password"));
                   ASSIGN_OR_RETURN(auth::User user, auth.CreateUser(username, password));
                   WriteUser(w, user);
                   return absl::OkStatus();
                 }));
  AddMlflowRoute(
      router, "GET", p + "get",
      JsonRequestHandler([&auth](const HttpRequest& r, const RequestArgs& a, JsonWriter& w) {
        ASSIGN_OR_RETURN(std::string username, a.RequiredString("username"));
        ASSIGN_OR_RETURN(auth::User user, auth.GetUser(username));
        WriteUser(w, user, r.workspace);
        return absl::OkStatus();
      }));
  // MLflow 3's users/list: every user, by id, without their grants (admins only).
  AddMlflowRoute(router, "GET", p + "list", JsonHandler([&auth](const RequestArgs&, JsonWriter& w) {
                   ASSIGN_OR_RETURN(std::vector<auth::User> users, auth.ListUsers());
                   w.Key("users").BeginArray();
                   for (const auth::User& user : users) {
                     w.BeginObject();
                     WriteUserFields(w, user);
                     w.EndObject();
                   }
                   w.EndArray();
                   return absl::OkStatus();
                 }));
  AddMlflowRoute(
      router, "GET", p + "current",
      JsonRequestHandler([&auth](const HttpRequest& r, const RequestArgs&, JsonWriter& w) {
        ASSIGN_OR_RETURN(auth::User user, auth.GetUser(r.user));
        WriteUser(w, user, r.workspace);
        return absl::OkStatus();
      }));
  AddMlflowRoute(router, "PATCH", p + "update-password",
                 JsonHandler([&auth](const RequestArgs& a, JsonWriter&) {
                   ASSIGN_OR_RETURN(std::string username, a.RequiredString("username"));
                   ASSIGN_OR_RETURN(std::string password, a.RequiredString("password"));
                   return auth.UpdatePassword(username, password);
                 }));
  AddMlflowRoute(router, "PATCH", p + "update-admin",
                 JsonHandler([&auth](const RequestArgs& a, JsonWriter&) {
                   ASSIGN_OR_RETURN(std::string username, a.RequiredString("username"));
                   ASSIGN_OR_RETURN(bool is_admin, IsAdminArg(a));
                   return auth.UpdateAdmin(username, is_admin);
                 }));
  AddMlflowRoute(router, "DELETE", p + "delete",
                 JsonHandler([&auth](const RequestArgs& a, JsonWriter&) {
                   ASSIGN_OR_RETURN(std::string username, a.RequiredString("username"));
                   return auth.DeleteUser(username);
                 }));
}

// One kind of grant's four routes: experiments/permissions/* or registered-models/permissions/*.
template <typename Grant>
struct GrantApi {
  std::string path;        // under /mlflow/
  std::string field;       // the resource's request field: experiment_id or name
  std::string answer_key;  // experiment_permission or registered_model_permission
  absl::StatusOr<Grant> (AuthService::*create)(std::string_view, std::string_view,
                                               auth::Permission);
  absl::StatusOr<Grant> (AuthService::*get)(std::string_view, std::string_view);
  absl::Status (AuthService::*update)(std::string_view, std::string_view, auth::Permission);
  absl::Status (AuthService::*remove)(std::string_view, std::string_view);
  // Registered models: the grant names the model of the request's workspace.
  bool per_workspace = false;
};

std::string_view ResourceOf(const auth::ExperimentGrant& g) { return g.experiment_id; }
std::string_view ResourceOf(const auth::RegisteredModelGrant& g) { return g.name; }

template <typename Grant>
void AddGrantRoutes(Router& router, AuthService& auth, GrantApi<Grant> api) {
  // The resource and the user every route names, then the route's own work.
  using Fn = std::function<absl::Status(const std::string& resource, const std::string& user,
                                        const RequestArgs& a, JsonWriter& w)>;
  auto route = [&router, api](const char* method, const char* verb, Fn fn) {
    AddMlflowRoute(router, method, "/mlflow/" + api.path + verb,
                   JsonRequestHandler([api, fn](const HttpRequest& r, const RequestArgs& a,
                                                JsonWriter& w) -> absl::Status {
                     ASSIGN_OR_RETURN(std::string resource, a.RequiredString(api.field));
                     ASSIGN_OR_RETURN(std::string user, a.RequiredString("username"));
                     if (api.per_workspace) resource = WorkspaceKey(r.workspace, resource);
                     return fn(resource, user, a, w);
                   }));
  };
  auto write = [api](JsonWriter& w, const Grant& g) {
    w.Key(api.answer_key)
        .BeginObject()
        .Field(api.field, api.per_workspace ? SplitWorkspaceKey(ResourceOf(g)).name
                                            : std::string(ResourceOf(g)))
        .Field("user_id", g.user_id)
        .Field("permission", auth::PermissionName(g.permission))
        .EndObject();
  };
  route("POST", "create",
        [&auth, api, write](const std::string& r, const std::string& u, const RequestArgs& a,
                            JsonWriter& w) {
          ASSIGN_OR_RETURN(auth::Permission permission, PermissionArg(a));
          ASSIGN_OR_RETURN(Grant grant, (auth.*api.create)(r, u, permission));
          write(w, grant);
          return absl::OkStatus();
        });
  route("GET", "get",
        [&auth, api, write](const std::string& r, const std::string& u, const RequestArgs&,
                            JsonWriter& w) {
          ASSIGN_OR_RETURN(Grant grant, (auth.*api.get)(r, u));
          write(w, grant);
          return absl::OkStatus();
        });
  route(
      "PATCH", "update",
      [&auth, api](const std::string& r, const std::string& u, const RequestArgs& a, JsonWriter&) {
        ASSIGN_OR_RETURN(auth::Permission permission, PermissionArg(a));
        return (auth.*api.update)(r, u, permission);
      });
  route("DELETE", "delete",
        [&auth, api](const std::string& r, const std::string& u, const RequestArgs&, JsonWriter&) {
          return (auth.*api.remove)(r, u);
        });
}

}  // namespace

void RegisterUserRoutes(Router& router, AuthService& auth) {
  AddUserRoutes(router, auth);
  AddGrantRoutes<auth::ExperimentGrant>(
      router, auth,
      {"experiments/permissions/", "experiment_id", "experiment_permission",
       &AuthService::CreateExperimentGrant, &AuthService::GetExperimentGrant,
       &AuthService::UpdateExperimentGrant, &AuthService::DeleteExperimentGrant});
  AddGrantRoutes<auth::RegisteredModelGrant>(
      router, auth,
      {"registered-models/permissions/", "name", "registered_model_permission",
       &AuthService::CreateRegisteredModelGrant, &AuthService::GetRegisteredModelGrant,
       &AuthService::UpdateRegisteredModelGrant, &AuthService::DeleteRegisteredModelGrant,
       /*per_workspace=*/true});
  RegisterTokenRoutes(router, auth);
}

}  // namespace ferry::http
