#pragma once
// What each route needs when the server authenticates requests (`--auth`, issue 15). Deny by
// default: a route missing from this table makes Router::Guard fail, so the server refuses
// to start rather than serve it unchecked, and a test walks every route of a full server.
//
// The rules follow MLflow's basic-auth validators (mlflow/server/auth/__init__.py) where
// MLflow has the route, including the ones MLflow forgot (get-artifact, the bulk metric
// routes, search-datasets, upload-artifact); Ferry's own routes are listed beside them.

#include <string>
#include <string_view>

#include "auth/permission.h"
#include "auth/workspace_roles.h"

namespace ferry::http {

enum class AccessNeed {
  kOpen,        // anyone: health probes and the UI's static files
  kUser,        // any authenticated caller
  kAdmin,       // an admin
  kSelf,        // the user named by `param`, or an admin
  kExperiment,  // `level` on the experiment found by `locate`
  kModel,       // `level` on the registered model found by `locate`
  // `role` in the workspace named by the path's first segment (its `my-role` only needs the
  // caller to see the workspace); a workspace the caller cannot see answers 404.
  kWorkspace,
};

enum class Locate {
  kNone,
  kParam,           // the request field `param` (query for GET, JSON body otherwise)
  kParamList,       // every value of the repeated field `param`
  kExperimentName,  // the experiment named by field `param`
  kRun,             // the run of field run_id (or run_uuid)
  kRunList,         // the runs of the repeated field `param`
  kArtifactPath,    // the first segment of the artifact proxy path (path_rest or ?path=)
  kPathSegment,     // the first segment of path_rest (lineage runs, /v2/models/NAME/...)
  kVersionPath,     // path_rest before its last '/' (lineage model-versions/NAME/VERSION)
  kInvocation,      // /invocations: the Ferry-Model header, else the only deployment
};

// Something to do once a buffered route answered 200.
enum class AfterSuccess {
  kNothing,
  kGrantExperimentCreator,  // MANAGE on the new experiment for its creator
  kGrantModelCreator,       // MANAGE on the new registered model for its creator
  kRenameModelGrants,       // grants follow registered-models/rename
  kDeleteModelGrants,       // and are removed with the model
};

// Searches that return only what the caller may read (the filter goes into the query).
enum class SearchScope { kNone, kExperiments, kModels };

struct AccessRule {
  AccessNeed need = AccessNeed::kAdmin;
  auth::Permission level = auth::Permission::kManage;
  Locate locate = Locate::kNone;
  std::string_view param;
  AfterSuccess after = AfterSuccess::kNothing;
  SearchScope scope = SearchScope::kNone;
  // A POST that changes nothing (a search, an inference): kept out of the audit log.
  bool read_only = false;
  // The audit log's resource also names the user of the request's `username` field (grants,
  // users): "experiment 3, user 'bob'".
  bool audit_username = false;
  // For kWorkspace: the least role needed.
  auth::WorkspaceRole role = auth::WorkspaceRole::kAdmin;
  // Creates an experiment or a registered model in the request's workspace: outside
  // `default`, the editor role there (or more) is needed.
  bool creates = false;
};

// Whether a request to a route with `rule` goes into the audit log: every method but GET,
// HEAD and OPTIONS, unless the rule is read_only.
bool Audited(std::string_view method, const AccessRule& rule);

// The rule for a route as the router knows it (method, pattern as added, e.g.
// "/ajax-api/2.0/mlflow/runs/get" or "/api/ferry/v1/webhooks/*"), or nullptr.
const AccessRule* FindAccessRule(std::string_view method, std::string_view pattern);

// The rule in words, for the route listing: "open", "user", "admin", "self (username)",
// "experiment READ (run_id)", "registered model EDIT (name)", ...
std::string DescribeAccessRule(const AccessRule& rule);

}  // namespace ferry::http
