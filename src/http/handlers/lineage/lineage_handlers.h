#pragma once
// Lineage endpoints (docs/API.md, "Lineage"):
//   GET /api/ferry/v1/lineage/model-versions/{name}/{version}   what produced the version
//   GET /api/ferry/v1/lineage/datasets/{digest}                 what consumed the data
//   GET /api/ferry/v1/lineage/runs/{run_id}                     the graph around a run
// each with ?max_nodes=N (1..1000, default 200). The answer is the graph {"root", "nodes",
// "edges", "truncated"}; errors are {"error_code", "message"}: 400 INVALID_PARAMETER_VALUE
// naming the field, 404 RESOURCE_DOES_NOT_EXIST for an unknown version, run or digest.
// Each stays in the request's workspace (lineage::Scope): its model versions, and with
// `workspaces` (--enable-workspaces) its experiments' runs; another workspace's version or run
// answers 404 as a missing one.

#include "http/router.h"
#include "lineage/lineage_service.h"

namespace ferry::http {

// `lineage` must outlive the router.
void RegisterLineageRoutes(Router& router, const lineage::LineageService& lineage, bool workspaces);

}  // namespace ferry::http
