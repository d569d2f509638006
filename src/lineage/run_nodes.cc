#include "lineage/run_nodes.h"

#include "common/strings.h"
#include "core/dataset_digest.h"

namespace ferry::lineage {
namespace {

std::string Find(const std::vector<KeyValue>& tags, const std::string& key) {
  for (const KeyValue& t : tags) {
    if (t.key == key) return t.value;
  }
  return "";
}

// Run tags shown as node attributes, by the name the node gives them.
constexpr std::pair<const char*, const char*> kRunTagAttrs[] = {
    {kTagPipeline, "pipeline"},
    {kTagPipelineRun, "pipeline_run"},
    {"ferry.pipeline.trigger", "trigger"},
    {kTagStep, "step"},
    {kTagStepKind, "kind"},
    {"ferry.step.state", "state"},
    {"ferry.step.cache_hit", "cache_hit"},
    {"ferry.family", "family"},
};

void AddData(const std::string& digest, Graph& graph, const std::string& run_node,
             const char* relation, const Dataset* dataset) {
  if (digest.empty()) return;
  Node n{DataNodeId(digest), relation == std::string(kProduced) ? kArtifact : kDataset, {}};
  n.attrs["digest"] = digest;
  if (dataset != nullptr) {
    n.attrs["name"] = dataset->name;
    if (!dataset->source.empty()) n.attrs["source"] = dataset->source;
    if (!dataset->source_type.empty()) n.attrs["source_type"] = dataset->source_type;
  }
  if (!graph.Add(std::move(n))) return;
  graph.Connect(run_node, DataNodeId(digest), relation);
}

}  // namespace

std::string RunNodeId(const std::string& run_id) { return "run:" + run_id; }
std::string DataNodeId(const std::string& digest) { return "data:" + digest; }
std::string VersionNodeId(const std::string& name, int64_t version) {
  return "model_version:" + name + "/" + std::to_string(version);
}

std::string TagOf(const Run& run, const std::string& key) { return Find(run.data.tags, key); }
std::string TagOf(const ModelVersion& version, const std::string& key) {
  return Find(version.tags, key);
}

const char* RunType(const Run& run) {
  if (!TagOf(run, kTagStepKind).empty()) return kStepRun;
  if (!TagOf(run, kTagPipeline).empty() && TagOf(run, kTagStep).empty()) return kPipelineRun;
  return kRun;
}

bool AddRunNode(const Run& run, Graph& graph) {
  Node n{RunNodeId(run.info.run_id), RunType(run), {}};
  n.attrs["run_id"] = run.info.run_id;
  n.attrs["name"] = run.info.run_name;
  n.attrs["experiment_id"] = run.info.experiment_id;
  n.attrs["status"] = RunStatusName(run.info.status);
  n.attrs["start_time"] = std::to_string(run.info.start_time);
  if (run.info.end_time) n.attrs["end_time"] = std::to_string(*run.info.end_time);
  for (const auto& [tag, attr] : kRunTagAttrs) {
    if (std::string v = TagOf(run, tag); !v.empty()) n.attrs[attr] = std::move(v);
  }
  return graph.Add(std::move(n));
}

bool AddMissingRunNode(const std::string& run_id, Graph& graph) {
  return graph.Add(Node{RunNodeId(run_id), kRun, {{"run_id", run_id}, {"missing", "true"}}});
}

void AddRunData(const Run& run, Graph& graph) {
  const std::string id = RunNodeId(run.info.run_id);
  if (!graph.Has(id)) return;
  for (const DatasetInput& in : run.inputs) {
    std::string digest = Find(in.tags, kDatasetDigestTag);  // the full digest, when Ferry logged it
    AddData(digest.empty() ? in.dataset.digest : digest, graph, id, kConsumed, &in.dataset);
  }
  for (const KeyValue& t : run.data.tags) {
    if (StartsWith(t.key, kTagInputPrefix) || t.key == kTagDataDigest) {
      AddData(t.value, graph, id, kConsumed, nullptr);
    } else if (StartsWith(t.key, kTagOutputPrefix)) {
      AddData(t.value, graph, id, kProduced, nullptr);
    }
  }
}

std::string PackageDigest(const ModelVersion& version) {
  if (std::string tagged = TagOf(version, kTagPackageDigest); !tagged.empty()) return tagged;
  const std::string marker = "packages/sha256-";
  const size_t at = version.source.find(marker);
  if (at == std::string::npos) return "";
  std::string hex = version.source.substr(at + marker.size());
  hex = hex.substr(0, hex.find('/'));
  return hex.size() == 64 ? "sha256:" + hex : "";
}

bool AddVersionNode(const ModelVersion& v, Graph& graph) {
  Node n{VersionNodeId(v.name, v.version), kModelVersion, {}};
  n.attrs["name"] = v.name;
  n.attrs["version"] = std::to_string(v.version);
  n.attrs["source"] = v.source;
  n.attrs["status"] = ModelVersionStatusName(v.status);
  n.attrs["stage"] = ModelStageName(v.current_stage);
  n.attrs["creation_timestamp"] = std::to_string(v.creation_timestamp);
  if (!v.run_id.empty()) n.attrs["run_id"] = v.run_id;
  if (std::string d = PackageDigest(v); !d.empty()) n.attrs["package_digest"] = std::move(d);
  if (std::string r = TagOf(v, kTagPipelineRun); !r.empty()) n.attrs["pipeline_run"] = r;
  std::string aliases;
  for (const std::string& a : v.aliases) aliases += (aliases.empty() ? "" : ",") + a;
  if (!aliases.empty()) n.attrs["aliases"] = aliases;
  return graph.Add(std::move(n));
}

}  // namespace ferry::lineage
