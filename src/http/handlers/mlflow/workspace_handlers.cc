#include "http/handlers/mlflow/workspace_handlers.h"

#include <string>
#include <vector>

#include "common/clock.h"
#include "core/workspace.h"
#include "http/handlers/error_response.h"
#include "http/handlers/handler_util.h"
#include "store/workspace_store.h"

namespace ferry::http {
namespace {

void WriteWorkspace(JsonWriter& w, const Workspace& ws) {
  w.BeginObject().Field("name", ws.name).Field("description", ws.description).EndObject();
}

absl::Status Create(store::WorkspaceStore& s, const RequestArgs& a, JsonWriter& w) {
  ASSIGN_OR_RETURN(std::string name, a.RequiredString("name"));
  ASSIGN_OR_RETURN(auto description, a.String("description"));
  RETURN_IF_ERROR(ValidateWorkspaceName(name));
  ASSIGN_OR_RETURN(Workspace created,
                   s.CreateWorkspace(name, description.value_or(""), SystemClock().NowMillis()));
  w.Key("workspace");
  WriteWorkspace(w, created);
  return absl::OkStatus();
}

Handler List(store::WorkspaceStore& s, const WorkspaceRouteHooks& hooks) {
  return JsonRequestHandler(
      [&s, hooks](const HttpRequest& req, const RequestArgs&, JsonWriter& w) -> absl::Status {
        ASSIGN_OR_RETURN(std::vector<Workspace> all, s.ListWorkspaces());
        w.Key("workspaces").BeginArray();
        for (const Workspace& ws : all) {
          if (!hooks.visible || hooks.visible(req, ws.name)) WriteWorkspace(w, ws);
        }
        w.EndArray();
        return absl::OkStatus();
      });
}

// GET, PATCH and DELETE of /workspaces/{name}.
Handler ByName(store::WorkspaceStore& s, std::string method, const WorkspaceRouteHooks& hooks) {
  return [&s, method, hooks](HttpRequest& req) -> HttpResponse {
    const std::string name = req.path_rest;
    if (name.empty() || name.find('/') != std::string::npos) {
      return ErrorResponse(404, "ENDPOINT_NOT_FOUND", "No such workspace endpoint");
    }
    if (hooks.visible && !hooks.visible(req, name)) {
      return ErrorResponse(404, "RESOURCE_DOES_NOT_EXIST", "Workspace '" + name + "' not found");
    }
    HttpResponse response =
        JsonHandler([&s, &name, &method](const RequestArgs& a, JsonWriter& w) -> absl::Status {
          if (method == "DELETE") return s.DeleteWorkspace(name);
          Workspace ws;
          if (method == "PATCH") {
            ASSIGN_OR_RETURN(auto description, a.String("description"));
            ASSIGN_OR_RETURN(ws, s.UpdateWorkspace(name, description.value_or("")));
          } else {
            ASSIGN_OR_RETURN(ws, s.GetWorkspace(name));
          }
          w.Key("workspace");
          WriteWorkspace(w, ws);
          return absl::OkStatus();
        })(req);
    if (method == "DELETE" && response.status == 200) {
      if (hooks.deleted) hooks.deleted();
      return HttpResponse::Json(204, "");
    }
    return response;
  };
}

}  // namespace

void RegisterWorkspaceRoutes(Router& router, store::WorkspaceStore& s, WorkspaceRouteHooks hooks) {
  for (std::string prefix : {"/api/3.0/mlflow/workspaces", "/ajax-api/3.0/mlflow/workspaces"}) {
    Handler create = Bind(s, Create);
    router.Add("POST", prefix, [create](HttpRequest& req) {
      HttpResponse response = create(req);
      if (response.status == 200) response.status = 201;
      return response;
    });
    router.Add("GET", prefix, List(s, hooks));
    for (const char* method : {"GET", "PATCH", "DELETE"}) {
      router.Add(method, prefix + "/*", ByName(s, method, hooks));
    }
  }
}

}  // namespace ferry::http
