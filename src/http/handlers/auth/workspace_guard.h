#pragma once
// `ferry server --enable-workspaces`: keeps every request in one workspace (core/workspace.h)
// through two Router::Guard policies built on the same access rules as --auth
// (access_rules.h), so a route the table lacks makes the server refuse to start here too.
//
//  * WorkspaceSelection (the outermost check): reads X-MLFLOW-WORKSPACE (absent or empty:
//    `default`) into HttpRequest::workspace; 400 INVALID_PARAMETER_VALUE for a malformed name.
//    It reads no database, so a caller --auth refuses learns nothing from it.
//  * WorkspacePolicy (the innermost, after --auth's check): 404 RESOURCE_DOES_NOT_EXIST for
//    an unknown workspace and for an experiment (named by id, through a run, an artifact path
//    or a name) of another workspace; a search of experiments is scoped to the workspace
//    (AccessScope::workspace, inside the SQL). Registered models need no check here: the
//    registry handlers pass HttpRequest::workspace, and another workspace's model does not
//    exist there. Not yet isolated: deployments, packages, lineage (docs/AUTH.md, Workspaces).

#include <functional>
#include <string>

#include "common/status.h"
#include "http/handlers/auth/request_resources.h"
#include "http/router.h"

namespace ferry::http {

struct WorkspaceLookup {
  // OK when the workspace exists, kNotFound when not.
  std::function<absl::Status(const std::string& name)> exists;
  // The workspace of an experiment; kNotFound when there is no such experiment.
  std::function<absl::StatusOr<std::string>(const std::string& experiment_id)> experiment_workspace;
  ResourceLookup resources;  // runs and names to experiments, as --auth finds them
};

Router::Policy WorkspaceSelection(const Router& router);
Router::Policy WorkspacePolicy(const Router& router, WorkspaceLookup lookup);

}  // namespace ferry::http
