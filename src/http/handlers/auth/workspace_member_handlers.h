#pragma once
// Roles per workspace (`ferry server --auth --enable-workspaces`, docs/API.md): who holds which
// role in a workspace, and the caller's own.
//   GET    /api/ferry/v1/workspaces/{ws}/members        {"members": [{principal, kind, role}]}
//   PUT    /api/ferry/v1/workspaces/{ws}/members        {principal, kind, role} -> {"member"}
//   DELETE /api/ferry/v1/workspaces/{ws}/members?principal=P&kind=K   -> {}
//   GET    /api/ferry/v1/workspaces/{ws}/my-role        {"role": "editor"} or {"role": null}
// Who may call each (a role in {ws}, and seeing {ws} at all) is checked by the access rules
// (access_rules.cc, AccessNeed::kWorkspace) before these run.

#include "common/status.h"
#include "http/handlers/request_args.h"
#include "http/router.h"

namespace ferry::auth {
class AuthService;
}
namespace ferry::store {
class WorkspaceStore;
}

namespace ferry::http {

// A member request's fields: DELETE's from its query string (the body of others).
absl::StatusOr<RequestArgs> MemberArgs(const HttpRequest& request);

void RegisterWorkspaceMemberRoutes(Router& router, auth::AuthService& auth,
                                   store::WorkspaceStore& workspaces);

}  // namespace ferry::http
