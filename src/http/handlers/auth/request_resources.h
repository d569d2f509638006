#pragma once
// What a request names, found the way its access rule says (access_rules.h): the experiments
// (through a field, a run, an experiment's name or an artifact path) or the registered model
// (a field, a path segment, /invocations' deployment) the access check asks about.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "http/handlers/auth/access_rules.h"
#include "http/handlers/request_args.h"
#include "http/http_types.h"

namespace ferry::http {

// Ways to find an experiment from what a request names, and what is deployed.
struct ResourceLookup {
  // The experiment id of a run; kNotFound when there is no such run.
  std::function<absl::StatusOr<std::string>(const std::string& run_id)> run_experiment;
  // The id of the experiment with this name in this workspace; kNotFound when there is none.
  std::function<absl::StatusOr<std::string>(const std::string& workspace, const std::string& name)>
      experiment_id;
  // The workspace of an experiment (--enable-workspaces; unset without: all is `default`);
  // kNotFound when there is no such experiment.
  std::function<absl::StatusOr<std::string>(const std::string& experiment_id)> experiment_workspace;
  // The deployments served now (/invocations without a Ferry-Model header serves the only one).
  std::function<std::vector<std::string>()> deployed_models;
};

// The request's fields: the JSON body, or the query string for GET and for bodies that are
// not JSON (upload-artifact sends the file and names its run in the query).
absl::StatusOr<RequestArgs> ArgsOf(const HttpRequest& request);

// The experiments `request` touches under `rule`. A missing field yields none (the handler
// then refuses the request itself), and so does a run that does not exist (the handler answers
// 404); any other failure to find the experiment is an error that denies.
absl::StatusOr<std::vector<std::string>> RequestExperiments(const AccessRule& rule,
                                                            const HttpRequest& request,
                                                            const ResourceLookup& lookup);

// Whether `request` lists the stored packages' directory itself (`packages/`, the proxy's
// listing route; not a package's own files, nor a download). Packages belong to no workspace:
// with --enable-workspaces only admins may list them (docs/AUTH.md, Workspaces).
bool ListsPackageStore(const AccessRule& rule, const HttpRequest& request);

// The registered model `request` names under `rule`, if any.
absl::StatusOr<std::optional<std::string>> RequestModel(const AccessRule& rule,
                                                        const HttpRequest& request,
                                                        const ResourceLookup& lookup);
// The same, found as `locate` says (the field `param` for kParam).
absl::StatusOr<std::optional<std::string>> RequestModel(Locate locate, std::string_view param,
                                                        const HttpRequest& request,
                                                        const ResourceLookup& lookup);

}  // namespace ferry::http
