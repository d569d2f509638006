#include "http/handlers/auth/workspace_guard.h"

#include <memory>
#include <utility>
#include <vector>

#include "common/strings.h"
#include "core/workspace.h"
#include "http/handlers/auth/access_rules.h"
#include "http/status_mapping.h"

namespace ferry::http {
namespace {

constexpr std::string_view kHeader = "x-mlflow-workspace";

// The workspace routes name their workspace in the path, not the header.
bool IsWorkspaceRoute(std::string_view pattern) {
  return pattern.find("/mlflow/workspaces") != std::string_view::npos ||
         StartsWith(pattern, "/api/ferry/v1/workspaces/");
}

bool LocatesThroughRuns(Locate locate) {
  return locate == Locate::kRun || locate == Locate::kRunList || locate == Locate::kPathSegment;
}

class Keep {
 public:
  Keep(const Router& router, const WorkspaceLookup& lookup, const AccessRule& rule,
       bool workspace_route)
      : router_(router), lookup_(lookup), rule_(rule), workspace_route_(workspace_route) {}

  Router::Verdict operator()(HttpRequest& request) const {
    Router::Verdict verdict;
    absl::Status kept = KeepIn(request);
    if (!kept.ok()) {
      verdict.deny =
          router_.ErrorFor(request.path, HttpStatusFor(kept.code()), MlflowErrorCode(kept.code()),
                           PublicMessage(StatusMessage(kept)));
    }
    return verdict;
  }

 private:
  absl::Status KeepIn(HttpRequest& request) const {
    if (rule_.need == AccessNeed::kOpen || workspace_route_) return absl::OkStatus();
    if (request.workspace != kDefaultWorkspace) {
      absl::Status exists = lookup_.exists(request.workspace);
      if (absl::IsNotFound(exists)) {
        return absl::NotFoundError("Workspace '" + request.workspace + "' not found");
      }
      RETURN_IF_ERROR(exists);
    }
    if (rule_.scope == SearchScope::kExperiments) {
      request.experiment_scope.workspace = request.workspace;
    }
    if (rule_.need != AccessNeed::kExperiment) return absl::OkStatus();
    if (ListsPackageStore(rule_, request) && !request.user_is_admin) {
      return absl::PermissionDeniedError(
          "Permission denied: with workspaces only admins may list packages/ (a package's own "
          "files stay readable by its digest)");
    }
    absl::StatusOr<std::vector<std::string>> ids =
        RequestExperiments(rule_, request, lookup_.resources);
    // Artifacts outside any experiment belong to no workspace: admins only (--auth).
    if (!ids.ok()) return request.user_is_admin ? absl::OkStatus() : ids.status();
    for (const std::string& id : *ids) {
      absl::StatusOr<std::string> workspace = lookup_.experiment_workspace(id);
      if (absl::IsNotFound(workspace.status())) continue;  // the handler says so itself
      RETURN_IF_ERROR(workspace.status());
      if (*workspace == request.workspace) continue;
      if (LocatesThroughRuns(rule_.locate)) {
        return absl::NotFoundError("Run not found in workspace '" + request.workspace + "'");
      }
      return absl::NotFoundError("No Experiment with id=" + id + " exists in workspace '" +
                                 request.workspace + "'");
    }
    return absl::OkStatus();
  }

  const Router& router_;
  const WorkspaceLookup& lookup_;
  const AccessRule& rule_;
  const bool workspace_route_;
};

}  // namespace

Router::Policy WorkspaceSelection(const Router& router) {
  return [&router](std::string_view, std::string_view) -> absl::StatusOr<Router::Check> {
    return Router::Check([&router](HttpRequest& request) {
      Router::Verdict verdict;
      const std::string* named = request.Header(kHeader);
      request.workspace =
          named == nullptr || named->empty() ? std::string(kDefaultWorkspace) : *named;
      if (request.workspace == kDefaultWorkspace) return verdict;
      absl::Status valid = ValidateWorkspaceName(request.workspace);
      if (!valid.ok()) {
        verdict.deny = router.ErrorFor(request.path, 400, "INVALID_PARAMETER_VALUE",
                                       StrCat("X-MLFLOW-WORKSPACE: ", StatusMessage(valid)));
      }
      return verdict;
    });
  };
}

Router::Policy WorkspacePolicy(const Router& router, WorkspaceLookup lookup) {
  auto shared = std::make_shared<WorkspaceLookup>(std::move(lookup));
  return [&router, shared](std::string_view method,
                           std::string_view pattern) -> absl::StatusOr<Router::Check> {
    const AccessRule* rule = FindAccessRule(method, pattern);
    if (rule == nullptr) return absl::NotFoundError("no access rule (http/handlers/auth)");
    auto keep = std::make_shared<Keep>(router, *shared, *rule, IsWorkspaceRoute(pattern));
    return Router::Check([keep, shared](HttpRequest& request) { return (*keep)(request); });
  };
}

}  // namespace ferry::http
