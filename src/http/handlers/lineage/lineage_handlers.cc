#include "http/handlers/lineage/lineage_handlers.h"

#include <functional>
#include <optional>
#include <string>

#include "common/strings.h"
#include "http/handlers/error_response.h"
#include "http/handlers/handler_util.h"

namespace ferry::http {
namespace {

constexpr char kPrefix[] = "/api/ferry/v1/lineage";

using Query = std::function<absl::StatusOr<lineage::Lineage>(size_t max_nodes)>;

absl::StatusOr<size_t> MaxNodes(const RequestArgs& a) {
  ASSIGN_OR_RETURN(std::optional<int64_t> n, a.Int64("max_nodes"));
  if (!n) return lineage::kDefaultMaxNodes;
  if (*n < 1 || *n > static_cast<int64_t>(lineage::kMaxNodesLimit)) {
    return absl::InvalidArgumentError("max_nodes: must be between 1 and " +
                                      std::to_string(lineage::kMaxNodesLimit) + ", got " +
                                      std::to_string(*n));
  }
  return static_cast<size_t>(*n);
}

HttpResponse Answer(HttpRequest& req, const Query& query) {
  Handler h = JsonHandler([&query](const RequestArgs& a, JsonWriter& w) {
    ASSIGN_OR_RETURN(size_t max_nodes, MaxNodes(a));
    ASSIGN_OR_RETURN(lineage::Lineage l, query(max_nodes));
    l.graph.WriteJson(l.root, w);
    return absl::OkStatus();
  });
  return h(req);
}

// The request's workspace; its experiments only with --enable-workspaces (without it every
// experiment is seen and every request is in `default`).
lineage::Scope ScopeOf(const HttpRequest& req, bool workspaces) {
  return lineage::Scope{req.workspace, workspaces};
}

HttpResponse NoEndpoint(const std::string& what) {
  return ErrorResponse(404, "ENDPOINT_NOT_FOUND", "No such lineage endpoint: expected " + what);
}

// {name}/{version}: the name may hold '/', the version is after the last one.
Handler ModelVersion(const lineage::LineageService& s, bool workspaces) {
  return [&s, workspaces](HttpRequest& req) -> HttpResponse {
    const std::string& rest = req.path_rest;
    const size_t slash = rest.rfind('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == rest.size()) {
      return NoEndpoint("model-versions/{name}/{version}");
    }
    const std::string name = rest.substr(0, slash), text = rest.substr(slash + 1);
    const lineage::Scope where = ScopeOf(req, workspaces);
    return Answer(
        req, [&s, name, text, &where](size_t max_nodes) -> absl::StatusOr<lineage::Lineage> {
          std::optional<int64_t> version = ParseInt64(text);
          if (!version || *version < 1) {
            return absl::InvalidArgumentError("version: expected a positive integer, got '" + text +
                                              "'");
          }
          return s.ForModelVersion(name, *version, max_nodes, where);
        });
  };
}

Handler Dataset(const lineage::LineageService& s, bool workspaces) {
  return [&s, workspaces](HttpRequest& req) -> HttpResponse {
    const std::string digest = req.path_rest;
    if (digest.empty() || digest.find('/') != std::string::npos) {
      return NoEndpoint("datasets/{digest}");
    }
    const lineage::Scope where = ScopeOf(req, workspaces);
    return Answer(req, [&s, digest, &where](size_t max_nodes) {
      return s.ForDataset(digest, max_nodes, where);
    });
  };
}

Handler RunById(const lineage::LineageService& s, bool workspaces) {
  return [&s, workspaces](HttpRequest& req) -> HttpResponse {
    const std::string run_id = req.path_rest;
    if (run_id.empty() || run_id.find('/') != std::string::npos) {
      return NoEndpoint("runs/{run_id}");
    }
    const lineage::Scope where = ScopeOf(req, workspaces);
    return Answer(
        req, [&s, run_id, &where](size_t max_nodes) { return s.ForRun(run_id, max_nodes, where); });
  };
}

}  // namespace

void RegisterLineageRoutes(Router& router, const lineage::LineageService& lineage,
                           bool workspaces) {
  const std::string prefix = kPrefix;
  router.Add("GET", prefix + "/model-versions/*", ModelVersion(lineage, workspaces));
  router.Add("GET", prefix + "/datasets/*", Dataset(lineage, workspaces));
  router.Add("GET", prefix + "/runs/*", RunById(lineage, workspaces));
}

}  // namespace ferry::http
