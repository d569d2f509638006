#include "lineage/lineage_service.h"

#include <map>
#include <optional>
#include <set>
#include <vector>

#include "core/dataset_digest.h"
#include "core/workspace.h"
#include "lineage/run_nodes.h"

namespace ferry::lineage {
namespace {

// Searches are bounded: lineage answers about one object, never a scan of everything.
constexpr int64_t kMaxRunsPerSearch = 1000;
constexpr int64_t kMaxVersionsPerSearch = 100;
constexpr int kMaxExperimentPages = 10;

Comparison Equals(SearchEntity entity, const std::string& key, const std::string& value) {
  Comparison c;
  c.entity = entity;
  c.key = key;
  c.op = CompareOp::kEq;
  c.value.text = value;
  return c;
}

// One query's walk over the stores: each run and pipeline is expanded once.
class Walk {
 public:
  Walk(store::MetadataStore& runs, store::RegistryStore& registry, const Scope& where,
       size_t max_nodes)
      : runs_(runs), registry_(registry), where_(where), graph_(max_nodes) {}

  Graph& graph() { return graph_; }

  // The run, when it is in the scope's experiments; kNotFound as for a missing one otherwise.
  absl::StatusOr<Run> GetRun(const std::string& run_id) {
    ASSIGN_OR_RETURN(Run run, runs_.GetRun(run_id));
    if (!where_.experiments) return run;
    RETURN_IF_ERROR(LoadExperimentIds());
    if (!in_scope_.contains(run.info.experiment_id)) {
      return absl::NotFoundError("Run with id=" + run_id + " not found");
    }
    return run;
  }

  // The run with its pipeline (when it has one) or alone with its parent and versions.
  absl::Status ExpandRun(const Run& run) {
    if (RunType(run) == std::string(kPipelineRun)) return ExpandPipeline(run);
    const std::string parent_id = TagOf(run, kTagParent);
    if (!parent_id.empty()) {
      absl::StatusOr<Run> parent = GetRun(parent_id);
      if (!parent.ok() && !absl::IsNotFound(parent.status())) return parent.status();
      if (parent.ok() && RunType(*parent) == std::string(kPipelineRun)) {
        RETURN_IF_ERROR(ExpandPipeline(*parent));
      } else if (parent.ok()) {
        AddRunNode(*parent, graph_);
      }
    }
    return AddRunWithVersions(run, RunNodeId(parent_id));
  }

  // A version, the run that trained it and the pipeline run that registered it.
  absl::Status ExpandVersion(const ModelVersion& v) {
    AddVersionNode(v, graph_);
    if (!v.run_id.empty()) {
      absl::StatusOr<Run> run = GetRun(v.run_id);
      if (run.ok()) {
        RETURN_IF_ERROR(ExpandRun(*run));
      } else if (absl::IsNotFound(run.status())) {
        AddMissingRunNode(v.run_id, graph_);
      } else {
        return run.status();
      }
      graph_.Connect(RunNodeId(v.run_id), VersionNodeId(v.name, v.version), kRegisteredAs);
    }
    const std::string pipeline_run = TagOf(v, kTagPipelineRun);
    if (pipeline_run.empty()) return absl::OkStatus();
    ASSIGN_OR_RETURN(std::vector<Run> tagged,
                     SearchRuns({Equals(SearchEntity::kTag, kTagPipelineRun, pipeline_run)}));
    for (const Run& r : tagged) {
      if (RunType(r) == std::string(kPipelineRun)) RETURN_IF_ERROR(ExpandPipeline(r));
    }
    return absl::OkStatus();
  }

  // Runs in every active experiment matching all of `filter`, newest first.
  absl::StatusOr<std::vector<Run>> SearchRuns(std::vector<Comparison> filter) {
    RETURN_IF_ERROR(LoadExperimentIds());
    RunSearchQuery q;
    q.experiment_ids = *experiment_ids_;
    q.filter = std::move(filter);
    q.max_results = kMaxRunsPerSearch;
    ASSIGN_OR_RETURN(Page<Run> page, runs_.SearchRuns(q));
    return std::move(page.items);
  }

 private:
  absl::Status LoadExperimentIds() {
    if (experiment_ids_) return absl::OkStatus();
    ASSIGN_OR_RETURN(experiment_ids_, ExperimentIds());
    in_scope_.insert(experiment_ids_->begin(), experiment_ids_->end());
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<std::string>> ExperimentIds() {
    std::vector<std::string> ids;
    ExperimentSearchQuery q;
    if (where_.experiments) q.scope.workspace = where_.workspace;
    q.max_results = 1000;
    for (int page = 0; page < kMaxExperimentPages; ++page) {
      ASSIGN_OR_RETURN(Page<Experiment> found, runs_.SearchExperiments(q));
      for (const Experiment& e : found.items) ids.push_back(e.experiment_id);
      if (!found.has_more) break;
      q.offset = found.next_offset;
    }
    return ids;
  }

  // The run's node and data, a child_of edge to `parent_node` (when in the graph), and the
  // versions registered from it.
  absl::Status AddRunWithVersions(const Run& run, const std::string& parent_node) {
    if (!done_.insert(run.info.run_id).second) return absl::OkStatus();
    if (!AddRunNode(run, graph_)) return absl::OkStatus();
    AddRunData(run, graph_);
    graph_.Connect(RunNodeId(run.info.run_id), parent_node, kChildOf);
    store::ModelVersionSearchQuery q;
    q.filter = {Equals(SearchEntity::kAttribute, "run_id", run.info.run_id)};
    q.scope.workspace = where_.workspace;
    q.max_results = kMaxVersionsPerSearch;
    ASSIGN_OR_RETURN(Page<ModelVersion> versions, registry_.SearchModelVersions(q));
    for (const ModelVersion& v : versions.items) {
      if (!AddVersionNode(v, graph_)) break;
      graph_.Connect(RunNodeId(run.info.run_id), VersionNodeId(v.name, v.version), kRegisteredAs);
    }
    return absl::OkStatus();
  }

  // The pipeline run, its step runs, the runs its steps started (training), the versions it
  // registered, and all their data.
  absl::Status ExpandPipeline(const Run& parent) {
    if (!pipelines_.insert(parent.info.run_id).second) return absl::OkStatus();
    const std::string parent_node = RunNodeId(parent.info.run_id);
    if (!AddRunNode(parent, graph_)) return absl::OkStatus();
    done_.insert(parent.info.run_id);
    ASSIGN_OR_RETURN(std::vector<Run> children,
                     SearchRuns({Equals(SearchEntity::kTag, kTagParent, parent.info.run_id)}));
    std::map<std::string, std::string> step_nodes;  // step name -> its step run's node
    for (const Run& child : children) {
      if (RunType(child) != std::string(kStepRun)) continue;
      step_nodes[TagOf(child, kTagStep)] = RunNodeId(child.info.run_id);
      RETURN_IF_ERROR(AddRunWithVersions(child, parent_node));
    }
    for (const Run& child : children) {  // a step's own runs (ferry train): under their step
      if (RunType(child) == std::string(kStepRun)) continue;
      auto step = step_nodes.find(TagOf(child, kTagStep));
      RETURN_IF_ERROR(
          AddRunWithVersions(child, step == step_nodes.end() ? parent_node : step->second));
    }
    return AddRegisteredVersions(parent, step_nodes);
  }

  // Versions a register step of the pipeline run created: produced by that step, linked to
  // their training run (which a cached train step took from an earlier pipeline run).
  absl::Status AddRegisteredVersions(const Run& parent,
                                     const std::map<std::string, std::string>& step_nodes) {
    const std::string pipeline_run = TagOf(parent, kTagPipelineRun);
    if (pipeline_run.empty()) return absl::OkStatus();
    store::ModelVersionSearchQuery q;
    q.filter = {Equals(SearchEntity::kTag, kTagPipelineRun, pipeline_run)};
    q.scope.workspace = where_.workspace;
    q.max_results = kMaxVersionsPerSearch;
    ASSIGN_OR_RETURN(Page<ModelVersion> versions, registry_.SearchModelVersions(q));
    for (const ModelVersion& v : versions.items) {
      if (!AddVersionNode(v, graph_)) break;
      const std::string node = VersionNodeId(v.name, v.version);
      auto step = step_nodes.find(TagOf(v, kTagStep));
      graph_.Connect(step == step_nodes.end() ? RunNodeId(parent.info.run_id) : step->second, node,
                     kProduced);
      if (v.run_id.empty() || graph_.Has(RunNodeId(v.run_id))) {
        graph_.Connect(RunNodeId(v.run_id), node, kRegisteredAs);
        continue;
      }
      absl::StatusOr<Run> trained = GetRun(v.run_id);
      if (trained.ok()) {
        RETURN_IF_ERROR(AddRunWithVersions(*trained, RunNodeId(TagOf(*trained, kTagParent))));
      } else if (absl::IsNotFound(trained.status())) {
        AddMissingRunNode(v.run_id, graph_);
      } else {
        return trained.status();
      }
      graph_.Connect(RunNodeId(v.run_id), node, kRegisteredAs);
    }
    return absl::OkStatus();
  }

  store::MetadataStore& runs_;
  store::RegistryStore& registry_;
  const Scope& where_;
  Graph graph_;
  std::optional<std::vector<std::string>> experiment_ids_;
  std::set<std::string> in_scope_;   // experiment_ids_ as a set
  std::set<std::string> pipelines_;  // pipeline runs expanded
  std::set<std::string> done_;       // runs added with their data and versions
};

Lineage Finish(std::string root, Walk& walk) {
  return Lineage{std::move(root), std::move(walk.graph())};
}

}  // namespace

absl::StatusOr<std::string> NormalizeDigest(const std::string& digest) {
  if (digest.empty()) return absl::InvalidArgumentError("digest: missing");
  if (digest.size() > 256) {
    return absl::InvalidArgumentError("digest: longer than 256 characters");
  }
  for (unsigned char c : digest) {
    if (c < 0x20 || c == 0x7f) return absl::InvalidArgumentError("digest: a control character");
  }
  if (digest.size() == 64 && digest.find_first_not_of("0123456789abcdef") == std::string::npos) {
    return "sha256:" + digest;
  }
  return digest;
}

absl::StatusOr<Lineage> LineageService::ForModelVersion(const std::string& name, int64_t version,
                                                        size_t max_nodes,
                                                        const Scope& where) const {
  ASSIGN_OR_RETURN(ModelVersion v, registry_.GetModelVersion(where.workspace, name, version));
  Walk walk(runs_, registry_, where, max_nodes);
  RETURN_IF_ERROR(walk.ExpandVersion(v));
  return Finish(VersionNodeId(v.name, v.version), walk);
}

absl::StatusOr<Lineage> LineageService::ForDataset(const std::string& digest, size_t max_nodes,
                                                   const Scope& where) const {
  ASSIGN_OR_RETURN(std::string d, NormalizeDigest(digest));
  Walk walk(runs_, registry_, where, max_nodes);
  ASSIGN_OR_RETURN(
      std::vector<Run> consumers,
      walk.SearchRuns({Equals(SearchEntity::kDataset, "digest", MlflowDatasetDigest(d))}));
  ASSIGN_OR_RETURN(std::vector<Run> trained,
                   walk.SearchRuns({Equals(SearchEntity::kTag, kTagDataDigest, d)}));
  consumers.insert(consumers.end(), trained.begin(), trained.end());
  if (consumers.empty()) {
    return absl::NotFoundError("No run consumed a dataset with digest " + d);
  }
  walk.graph().Add(Node{DataNodeId(d), kDataset, {{"digest", d}}});
  for (const Run& run : consumers) {
    if (walk.graph().full()) {
      walk.graph().MarkTruncated();
      break;
    }
    RETURN_IF_ERROR(walk.ExpandRun(run));
  }
  return Finish(DataNodeId(d), walk);
}

absl::StatusOr<Lineage> LineageService::ForRun(const std::string& run_id, size_t max_nodes,
                                               const Scope& where) const {
  Walk walk(runs_, registry_, where, max_nodes);
  ASSIGN_OR_RETURN(Run run, walk.GetRun(run_id));
  RETURN_IF_ERROR(walk.ExpandRun(run));
  return Finish(RunNodeId(run.info.run_id), walk);
}

}  // namespace ferry::lineage
