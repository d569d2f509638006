#include "http/handlers/auth/user_handlers.h"

#include <optional>
#include <string>

#include "auth/auth_service.h"
#include "http/handlers/handler_util.h"

namespace ferry::http {
namespace {

using auth::AuthService;

void WriteUser(JsonWriter& w, const auth::User& user) {
  w.Key("user").BeginObject().Field("id", user.id).Field("username", user.username);
  w.FieldBool("is_admin", user.is_admin).Key("experiment_permissions").BeginArray();
  for (const auth::ExperimentGrant& g : user.experiment_permissions) {
    w.BeginObject()
        .Field("experiment_id", g.experiment_id)
        .Field("user_id", g.user_id)
        .Field("permission", auth::PermissionName(g.permission))
        .EndObject();
  }
  w.EndArray().Key("registered_model_permissions").BeginArray();
  for (const auth::RegisteredModelGrant& g : user.registered_model_permissions) {
    w.BeginObject()
        .Field("name", g.name)
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
  AddMlflowRoute(router, "GET", p + "get",
                 JsonHandler([&auth](const RequestArgs& a, JsonWriter& w) {
                   ASSIGN_OR_RETURN(std::string username, a.RequiredString("username"));
                   ASSIGN_OR_RETURN(auth::User user, auth.GetUser(username));
                   WriteUser(w, user);
                   return absl::OkStatus();
                 }));
  AddMlflowRoute(
      router, "GET", p + "current",
      JsonRequestHandler([&auth](const HttpRequest& r, const RequestArgs&, JsonWriter& w) {
        ASSIGN_OR_RETURN(auth::User user, auth.GetUser(r.user));
        WriteUser(w, user);
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

void WriteExperimentGrant(JsonWriter& w, const auth::ExperimentGrant& g) {
  w.Key("experiment_permission")
      .BeginObject()
      .Field("experiment_id", g.experiment_id)
      .Field("user_id", g.user_id)
      .Field("permission", auth::PermissionName(g.permission))
      .EndObject();
}

void WriteModelGrant(JsonWriter& w, const auth::RegisteredModelGrant& g) {
  w.Key("registered_model_permission")
      .BeginObject()
      .Field("name", g.name)
      .Field("user_id", g.user_id)
      .Field("permission", auth::PermissionName(g.permission))
      .EndObject();
}

void AddExperimentGrantRoutes(Router& router, AuthService& auth) {
  const std::string p = "/mlflow/experiments/permissions/";
  AddMlflowRoute(router, "POST", p + "create",
                 JsonHandler([&auth](const RequestArgs& a, JsonWriter& w) {
                   ASSIGN_OR_RETURN(std::string id, a.RequiredString("experiment_id"));
                   ASSIGN_OR_RETURN(std::string username, a.RequiredString("username"));
                   ASSIGN_OR_RETURN(auth::Permission permission, PermissionArg(a));
                   ASSIGN_OR_RETURN(auth::ExperimentGrant grant,
                                    auth.CreateExperimentGrant(id, username, permission));
                   WriteExperimentGrant(w, grant);
                   return absl::OkStatus();
                 }));
  AddMlflowRoute(
      router, "GET", p + "get", JsonHandler([&auth](const RequestArgs& a, JsonWriter& w) {
        ASSIGN_OR_RETURN(std::string id, a.RequiredString("experiment_id"));
        ASSIGN_OR_RETURN(std::string username, a.RequiredString("username"));
        ASSIGN_OR_RETURN(auth::ExperimentGrant grant, auth.GetExperimentGrant(id, username));
        WriteExperimentGrant(w, grant);
        return absl::OkStatus();
      }));
  AddMlflowRoute(router, "PATCH", p + "update",
                 JsonHandler([&auth](const RequestArgs& a, JsonWriter&) {
                   ASSIGN_OR_RETURN(std::string id, a.RequiredString("experiment_id"));
                   ASSIGN_OR_RETURN(std::string username, a.RequiredString("username"));
                   ASSIGN_OR_RETURN(auth::Permission permission, PermissionArg(a));
                   return auth.UpdateExperimentGrant(id, username, permission);
                 }));
  AddMlflowRoute(router, "DELETE", p + "delete",
                 JsonHandler([&auth](const RequestArgs& a, JsonWriter&) {
                   ASSIGN_OR_RETURN(std::string id, a.RequiredString("experiment_id"));
                   ASSIGN_OR_RETURN(std::string username, a.RequiredString("username"));
                   return auth.DeleteExperimentGrant(id, username);
                 }));
}

void AddModelGrantRoutes(Router& router, AuthService& auth) {
  const std::string p = "/mlflow/registered-models/permissions/";
  AddMlflowRoute(router, "POST", p + "create",
                 JsonHandler([&auth](const RequestArgs& a, JsonWriter& w) {
                   ASSIGN_OR_RETURN(std::string name, a.RequiredString("name"));
                   ASSIGN_OR_RETURN(std::string username, a.RequiredString("username"));
                   ASSIGN_OR_RETURN(auth::Permission permission, PermissionArg(a));
                   ASSIGN_OR_RETURN(auth::RegisteredModelGrant grant,
                                    auth.CreateRegisteredModelGrant(name, username, permission));
                   WriteModelGrant(w, grant);
                   return absl::OkStatus();
                 }));
  AddMlflowRoute(router, "GET", p + "get",
                 JsonHandler([&auth](const RequestArgs& a, JsonWriter& w) {
                   ASSIGN_OR_RETURN(std::string name, a.RequiredString("name"));
                   ASSIGN_OR_RETURN(std::string username, a.RequiredString("username"));
                   ASSIGN_OR_RETURN(auth::RegisteredModelGrant grant,
                                    auth.GetRegisteredModelGrant(name, username));
                   WriteModelGrant(w, grant);
                   return absl::OkStatus();
                 }));
  AddMlflowRoute(router, "PATCH", p + "update",
                 JsonHandler([&auth](const RequestArgs& a, JsonWriter&) {
                   ASSIGN_OR_RETURN(std::string name, a.RequiredString("name"));
                   ASSIGN_OR_RETURN(std::string username, a.RequiredString("username"));
                   ASSIGN_OR_RETURN(auth::Permission permission, PermissionArg(a));
                   return auth.UpdateRegisteredModelGrant(name, username, permission);
                 }));
  AddMlflowRoute(router, "DELETE", p + "delete",
                 JsonHandler([&auth](const RequestArgs& a, JsonWriter&) {
                   ASSIGN_OR_RETURN(std::string name, a.RequiredString("name"));
                   ASSIGN_OR_RETURN(std::string username, a.RequiredString("username"));
                   return auth.DeleteRegisteredModelGrant(name, username);
                 }));
}

}  // namespace

void RegisterUserRoutes(Router& router, AuthService& auth) {
  AddUserRoutes(router, auth);
  AddExperimentGrantRoutes(router, auth);
  AddModelGrantRoutes(router, auth);
  RegisterTokenRoutes(router, auth);
}

}  // namespace ferry::http
