#include "http/handlers/auth/request_resources.h"

#include <algorithm>

#include "common/json.h"
#include "common/strings.h"

namespace ferry::http {
namespace {

using Ids = std::vector<std::string>;

// The first '/'-separated segment of `path`.
std::string FirstSegment(std::string_view path) {
  while (StartsWith(path, "/")) path.remove_prefix(1);
  return std::string(path.substr(0, path.find('/')));
}

absl::StatusOr<Ids> RunExperiments(const Ids& runs, const ResourceLookup& lookup) {
  Ids ids;
  for (const std::string& run : runs) {
    absl::StatusOr<std::string> id = lookup.run_experiment(run);
    if (absl::IsNotFound(id.status())) continue;
    RETURN_IF_ERROR(id.status());
    if (std::find(ids.begin(), ids.end(), *id) == ids.end()) ids.push_back(*id);
  }
  return ids;
}

// The proxy's paths are <experiment id>/<run id>/artifacts/...; stored packages live under
// packages/ and are readable by every user. Anything else (the root) is for admins.
absl::StatusOr<Ids> ArtifactExperiment(const AccessRule& rule, const HttpRequest& request) {
  std::string path = request.path_rest;
  if (path.empty()) {
    ASSIGN_OR_RETURN(RequestArgs args, ArgsOf(request));
    ASSIGN_OR_RETURN(std::optional<std::string> given, args.String("path"));
    path = given.value_or("");
  }
  std::string first = FirstSegment(path);
  if (first == "packages" && rule.level == auth::Permission::kRead) return Ids{};
  if (!first.empty() &&
      std::all_of(first.begin(), first.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return Ids{first};
  }
  return absl::PermissionDeniedError(
      "Permission denied: only admins may reach artifacts outside an experiment");
}

}  // namespace

absl::StatusOr<RequestArgs> ArgsOf(const HttpRequest& request) {
  const std::string* type = request.Header("content-type");
  const bool query =
      request.method == "GET" || request.method == "HEAD" ||
      (!request.body.empty() && (type == nullptr || !StartsWith(*type, "application/json")));
  if (!query) return RequestArgs::FromRequest(request);
  HttpRequest view;
  view.method = "GET";
  view.query = request.query;
  return RequestArgs::FromRequest(view);
}

bool ListsPackageStore(const AccessRule& rule, const HttpRequest& request) {
  if (rule.locate != Locate::kArtifactPath || request.method != "GET") return false;
  if (!request.path_rest.empty()) return false;  // a download names its file in the path
  absl::StatusOr<RequestArgs> args = ArgsOf(request);
  absl::StatusOr<std::optional<std::string>> path =
      args.ok() ? args->String("path") : absl::StatusOr<std::optional<std::string>>(args.status());
  if (!path.ok() || !path->has_value()) return false;
  std::vector<std::string_view> parts;  // as the artifact store cleans it: no empty or "."
  for (std::string_view part : SplitString(**path, '/')) {
    if (!part.empty() && part != ".") parts.push_back(part);
  }
  return parts.size() == 1 && parts[0] == "packages";
}

absl::StatusOr<Ids> RequestExperiments(const AccessRule& rule, const HttpRequest& request,
                                       const ResourceLookup& lookup) {
  switch (rule.locate) {
    case Locate::kArtifactPath:
      return ArtifactExperiment(rule, request);
    case Locate::kPathSegment:
      return RunExperiments({FirstSegment(request.path_rest)}, lookup);
    default:
      break;
  }
  // A log-batch body holds thousands of metrics: its run_id is read without converting the
  // rest (the handler parses it all anyway). Anything else takes the full parse below.
  if (rule.locate == Locate::kRun && request.method != "GET" && !request.body.empty()) {
    if (std::optional<std::string> run = JsonTopLevelString(request.body, "run_id")) {
      return RunExperiments({*run}, lookup);
    }
  }
  ASSIGN_OR_RETURN(RequestArgs args, ArgsOf(request));
  switch (rule.locate) {
    case Locate::kParam: {
      ASSIGN_OR_RETURN(std::optional<std::string> id, args.String(rule.param));
      return id ? Ids{*id} : Ids{};
    }
    case Locate::kParamList:
      return args.StringList(rule.param);
    case Locate::kExperimentName: {
      ASSIGN_OR_RETURN(std::optional<std::string> name, args.String(rule.param));
      if (!name) return Ids{};
      absl::StatusOr<std::string> id = lookup.experiment_id(request.workspace, *name);
      if (absl::IsNotFound(id.status())) return Ids{};
      RETURN_IF_ERROR(id.status());
      return Ids{*id};
    }
    case Locate::kRun: {
      absl::StatusOr<std::string> run = args.RunId();  // run_id, else run_uuid
      return run.ok() ? RunExperiments({*run}, lookup) : Ids{};
    }
    case Locate::kRunList: {
      ASSIGN_OR_RETURN(Ids runs, args.StringList(rule.param));
      return RunExperiments(runs, lookup);
    }
    default:
      return absl::PermissionDeniedError("Permission denied: no resource to check");
  }
}

absl::StatusOr<std::optional<std::string>> RequestModel(const AccessRule& rule,
                                                        const HttpRequest& request,
                                                        const ResourceLookup& lookup) {
  return RequestModel(rule.locate, rule.param, request, lookup);
}

absl::StatusOr<std::optional<std::string>> RequestModel(Locate locate, std::string_view param,
                                                        const HttpRequest& request,
                                                        const ResourceLookup& lookup) {
  if (locate == Locate::kInvocation) {
    if (const std::string* named = request.Header("ferry-model")) return *named;
    std::vector<std::string> models =
        lookup.deployed_models ? lookup.deployed_models() : std::vector<std::string>();
    if (models.size() == 1) return models[0];
    return std::nullopt;  // none, or several: the handler asks for the header
  }
  if (locate == Locate::kPathSegment) {
    std::string name = FirstSegment(request.path_rest);
    return name.empty() ? std::nullopt : std::optional<std::string>(name);
  }
  if (locate == Locate::kVersionPath) {  // a model name may hold '/': the version is last
    const size_t slash = request.path_rest.rfind('/');
    if (slash == std::string::npos || slash == 0) return std::nullopt;
    return request.path_rest.substr(0, slash);
  }
  ASSIGN_OR_RETURN(RequestArgs args, ArgsOf(request));
  return args.String(param);
}

}  // namespace ferry::http
