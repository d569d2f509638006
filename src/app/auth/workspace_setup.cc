#include "app/auth/workspace_setup.h"

#include <string>

#include "app/auth/resource_lookup.h"
#include "auth/auth_service.h"
#include "http/handlers/auth/session.h"
#include "http/handlers/auth/workspace_guard.h"
#include "http/handlers/auth/workspace_member_handlers.h"
#include "http/handlers/mlflow/workspace_handlers.h"
#include "http/router.h"
#include "store/backend/metadata_backend.h"

namespace ferry::app {

void RegisterWorkspaces(http::Router& router, store::MetadataBackend& backend,
                        auth::AuthService* auth) {
  http::WorkspaceRouteHooks hooks;
  if (auth != nullptr) {
    hooks.visible = [auth](const http::HttpRequest& req, const std::string& workspace) {
      return req.user_is_admin || auth->CanSeeWorkspace(http::RequestCaller(req, *auth), workspace);
    };
    hooks.deleted = [auth] { auth->roles().Forget(); };
    http::RegisterWorkspaceMemberRoutes(router, *auth, backend);
  }
  http::RegisterWorkspaceRoutes(router, backend, std::move(hooks));
}

absl::Status GuardWorkspaces(http::Router& router, store::MetadataBackend& backend,
                             const http::ResourceLookup& lookup,
                             const std::function<absl::Status()>& guard_auth) {
  http::WorkspaceLookup workspaces;
  workspaces.exists = [&backend](const std::string& name) {
    return backend.GetWorkspace(name).status();
  };
  workspaces.experiment_workspace =
      lookup.experiment_workspace ? lookup.experiment_workspace : MakeExperimentWorkspaces(backend);
  workspaces.resources = lookup;
  RETURN_IF_ERROR(router.Guard(http::WorkspacePolicy(router, std::move(workspaces))));
  if (guard_auth) RETURN_IF_ERROR(guard_auth());
  return router.Guard(http::WorkspaceSelection(router));
}

}  // namespace ferry::app
