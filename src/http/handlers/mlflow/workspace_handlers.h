#pragma once
// MLflow 3's workspace API (`ferry server --enable-workspaces`, mlflow/store/workspace's REST
// shape): /api/3.0/mlflow/workspaces (GET list, POST create: 201) and
// /api/3.0/mlflow/workspaces/{name} (GET, PATCH description, DELETE: 204, only when empty),
// also under /ajax-api/3.0. A workspace is {"name", "description"}.

namespace ferry::store {
class WorkspaceStore;
}

namespace ferry::http {

class Router;

void RegisterWorkspaceRoutes(Router& router, store::WorkspaceStore& store);

}  // namespace ferry::http
