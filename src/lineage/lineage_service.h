#pragma once
// Lineage queries over what the tracking and registry stores already hold (no store of its
// own): what produced a model version, what consumed a dataset, the graph around a run.
// Pipelines link their runs with tags (docs/PIPELINES.md, "Lineage"): a pipeline run is an
// MLflow run, each step a child of it, a step's training run a child too (tagged with its
// step); a model version names its training run (run_id) and the pipeline run that
// registered it (tag ferry.pipeline.run).
//
// Every query stays in one workspace (Scope): the versions it names are of that workspace,
// and a run of another workspace's experiment counts as missing.
//
// Thread-compatible and stateless between calls: each call reads the stores afresh.

#include <cstddef>
#include <string>

#include "common/status.h"
#include "core/workspace.h"
#include "lineage/graph.h"
#include "store/metadata_store.h"
#include "store/registry_store.h"

namespace ferry::lineage {

inline constexpr size_t kDefaultMaxNodes = 200;
inline constexpr size_t kMaxNodesLimit = 1000;

// Where a query looks (`ferry server --enable-workspaces`, core/workspace.h): model versions
// of `workspace` only; runs of that workspace's experiments only when `experiments` is set
// (without the flag every experiment is seen, as by searches).
struct Scope {
  std::string workspace = std::string(kDefaultWorkspace);
  bool experiments = false;
};

struct Lineage {
  std::string root;  // the id of the node asked about
  Graph graph;
};

class LineageService {
 public:
  // Both stores must outlive the service.
  LineageService(store::MetadataStore& runs, store::RegistryStore& registry)
      : runs_(runs), registry_(registry) {}

  // Upstream: the training run, its pipeline run and steps, the data they consumed; and the
  // version's package digest and aliases. kNotFound (the registry's message) when the
  // version does not exist in `where.workspace`.
  absl::StatusOr<Lineage> ForModelVersion(const std::string& name, int64_t version,
                                          size_t max_nodes, const Scope& where = {}) const;
  // The runs and steps that consumed data with `digest` ("sha256:<hex>"; 64 bare hex digits
  // get the prefix), their pipeline runs and the model versions produced from them.
  // kInvalidArgument for an empty or over-long digest, kNotFound when no run consumed it.
  absl::StatusOr<Lineage> ForDataset(const std::string& digest, size_t max_nodes,
                                     const Scope& where = {}) const;
  // A pipeline run, a step run or a training run: its pipeline's graph (a plain run: its
  // data, parent and model versions). kNotFound when the run does not exist (or, scoped,
  // is of another workspace's experiment).
  absl::StatusOr<Lineage> ForRun(const std::string& run_id, size_t max_nodes,
                                 const Scope& where = {}) const;

 private:
  store::MetadataStore& runs_;
  store::RegistryStore& registry_;
};

// "sha256:<hex>" for 64 bare hex digits; other digests as given. kInvalidArgument naming
// `digest` for an empty one, one over 256 characters or with control characters.
absl::StatusOr<std::string> NormalizeDigest(const std::string& digest);

}  // namespace ferry::lineage
