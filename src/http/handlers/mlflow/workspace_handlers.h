#pragma once
// MLflow 3's workspace API (`ferry server --enable-workspaces`, mlflow/store/workspace's REST
// shape): /api/3.0/mlflow/workspaces (GET list, POST create: 201) and
// /api/3.0/mlflow/workspaces/{name} (GET, PATCH description, DELETE: 204, only when empty),
// also under /ajax-api/3.0. A workspace is {"name", "description"}.

#include <functional>
#include <string>

namespace ferry::store {
class WorkspaceStore;
}

namespace ferry::http {

class Router;
struct HttpRequest;

struct WorkspaceRouteHooks {
  // Whether the request's caller may see a workspace (roles per workspace, with --auth):
  // listing shows only those, and getting another answers 404 as for an unknown one. Empty:
  // every workspace is visible.
  std::function<bool(const HttpRequest&, const std::string& workspace)> visible;
  // Called after a workspace was deleted (its members went with it).
  std::function<void()> deleted;
};

void RegisterWorkspaceRoutes(Router& router, store::WorkspaceStore& store,
                             WorkspaceRouteHooks hooks = {});

}  // namespace ferry::http
