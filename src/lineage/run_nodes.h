#pragma once
// Store entities as lineage nodes: a run (plain, pipeline run or step run, told apart by the
// tags Ferry writes), the data it consumed and produced (MLflow dataset inputs and Ferry's
// digest tags), and a model version (with its package digest and aliases).

#include <string>

#include "core/registry_types.h"
#include "core/tracking_types.h"
#include "lineage/graph.h"

namespace ferry::lineage {

// The tags Ferry writes for lineage (docs/PIPELINES.md, "Lineage").
inline constexpr char kTagParent[] = "mlflow.parentRunId";
inline constexpr char kTagPipeline[] = "ferry.pipeline";
inline constexpr char kTagPipelineRun[] = "ferry.pipeline.run";
inline constexpr char kTagStep[] = "ferry.step";
inline constexpr char kTagStepKind[] = "ferry.step.kind";
inline constexpr char kTagInputPrefix[] = "ferry.input.";
inline constexpr char kTagOutputPrefix[] = "ferry.output.";
inline constexpr char kTagDataDigest[] = "ferry.data.digest";
inline constexpr char kTagPackageDigest[] = "ferry.package.digest";

std::string RunNodeId(const std::string& run_id);
std::string DataNodeId(const std::string& digest);
std::string VersionNodeId(const std::string& name, int64_t version);

// The value of tag `key`, "" when absent.
std::string TagOf(const Run& run, const std::string& key);
std::string TagOf(const ModelVersion& version, const std::string& key);

// kPipelineRun (ferry.pipeline set, no ferry.step), kStepRun (ferry.step.kind set) or kRun.
const char* RunType(const Run& run);

// Adds the run's node; false when the graph's limit refused it.
bool AddRunNode(const Run& run, Graph& graph);
// A node for a run the store does not hold (a version naming a run of another server).
bool AddMissingRunNode(const std::string& run_id, Graph& graph);
// The data the run consumed (dataset inputs, ferry.input.* and ferry.data.digest tags) and
// produced (ferry.output.* tags), with consumed/produced edges from the run's node.
void AddRunData(const Run& run, Graph& graph);

// The package digest of a version: its ferry.package.digest tag, else read from a source
// under the server's package store (".../packages/sha256-<hex>"); "" when neither.
std::string PackageDigest(const ModelVersion& version);
bool AddVersionNode(const ModelVersion& version, Graph& graph);

}  // namespace ferry::lineage
