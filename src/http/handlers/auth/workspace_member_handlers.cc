#include "http/handlers/auth/workspace_member_handlers.h"

#include <optional>
#include <string>
#include <vector>

#include "auth/auth_service.h"
#include "http/handlers/auth/session.h"
#include "http/handlers/error_response.h"
#include "http/handlers/handler_util.h"
#include "store/workspace_store.h"

namespace ferry::http {
namespace {

constexpr char kPrefix[] = "/api/ferry/v1/workspaces/";

void WriteMember(JsonWriter& w, const auth::WorkspaceMember& m) {
  w.BeginObject()
      .Field("principal", m.principal)
      .Field("kind", auth::MemberKindName(m.kind))
      .Field("role", auth::RoleName(m.role))
      .EndObject();
}

absl::StatusOr<auth::MemberKind> KindArg(const RequestArgs& a) {
  ASSIGN_OR_RETURN(std::string name, a.RequiredString("kind"));
  std::optional<auth::MemberKind> kind = auth::ParseMemberKind(name);
  if (!kind) {
    return absl::InvalidArgumentError("Invalid value '" + name +
                                      "' for parameter 'kind': use 'user' or 'group'");
  }
  return *kind;
}

absl::StatusOr<auth::WorkspaceRole> RoleArg(const RequestArgs& a) {
  ASSIGN_OR_RETURN(std::string name, a.RequiredString("role"));
  std::optional<auth::WorkspaceRole> role = auth::ParseRole(name);
  if (!role) {
    return absl::InvalidArgumentError(
        "Invalid value '" + name +
        "' for parameter 'role': use 'viewer', 'editor', 'manager' or 'admin'");
  }
  return *role;
}

absl::StatusOr<std::string> PrincipalArg(const RequestArgs& a) {
  ASSIGN_OR_RETURN(std::string principal, a.RequiredString("principal"));
  if (principal.empty()) {
    return absl::InvalidArgumentError("Missing value for required parameter 'principal'");
  }
  return principal;
}

// One route's work, given the workspace and what follows it in the path.
absl::Status Serve(auth::AuthService& auth, const HttpRequest& req, const RequestArgs& a,
                   const std::string& workspace, std::string_view what, JsonWriter& w) {
  if (what == "my-role") {
    std::optional<auth::WorkspaceRole> role = auth.RoleIn(RequestCaller(req, auth), workspace);
    w.Key("role");
    if (role) {
      w.String(auth::RoleName(*role));
    } else {
      w.Null();
    }
    return absl::OkStatus();
  }
  if (req.method == "GET") {
    ASSIGN_OR_RETURN(std::vector<auth::WorkspaceMember> members, auth.roles().List(workspace));
    w.Key("members").BeginArray();
    for (const auth::WorkspaceMember& m : members) WriteMember(w, m);
    w.EndArray();
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(std::string principal, PrincipalArg(a));
  ASSIGN_OR_RETURN(auth::MemberKind kind, KindArg(a));
  if (req.method == "DELETE") return auth.roles().Remove(workspace, kind, principal);
  ASSIGN_OR_RETURN(auth::WorkspaceRole role, RoleArg(a));
  auth::WorkspaceMember member{principal, kind, role};
  RETURN_IF_ERROR(auth.roles().Put(workspace, member));
  w.Key("member");
  WriteMember(w, member);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<RequestArgs> MemberArgs(const HttpRequest& request) {
  if (request.method != "DELETE") return RequestArgs::FromRequest(request);
  HttpRequest query;
  query.method = "GET";
  query.query = request.query;
  return RequestArgs::FromRequest(query);
}

namespace {

Handler MemberHandler(auth::AuthService& auth, store::WorkspaceStore& workspaces) {
  return [&auth, &workspaces](HttpRequest& req) -> HttpResponse {
    const std::string& rest = req.path_rest;
    const size_t slash = rest.find('/');
    const std::string workspace = rest.substr(0, slash);
    const std::string_view what =
        slash == std::string::npos ? "" : std::string_view(rest).substr(slash + 1);
    const bool members = what == "members";
    const bool my_role = what == "my-role" && req.method == "GET";
    if (workspace.empty() || (!members && !my_role)) {
      return ErrorResponse(404, "ENDPOINT_NOT_FOUND", "No such workspace endpoint");
    }
    return JsonRequestHandler([&](const HttpRequest& r, const RequestArgs&, JsonWriter& w) {
      RETURN_IF_ERROR(workspaces.GetWorkspace(workspace).status());
      ASSIGN_OR_RETURN(RequestArgs args, MemberArgs(r));
      return Serve(auth, r, args, workspace, what, w);
    })(req);
  };
}

}  // namespace

void RegisterWorkspaceMemberRoutes(Router& router, auth::AuthService& auth,
                                   store::WorkspaceStore& workspaces) {
  for (const char* method : {"GET", "PUT", "DELETE"}) {
    router.Add(method, std::string(kPrefix) + "*", MemberHandler(auth, workspaces));
  }
}

}  // namespace ferry::http
