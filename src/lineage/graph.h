#pragma once
// A lineage graph: nodes (datasets, artifacts, runs, pipeline runs, step runs, model versions)
// with string attributes, and edges between them (consumed, produced, child_of,
// registered_as). Its size is bounded: past `max_nodes` new nodes are refused and the graph
// says it is truncated. Plain data, not thread-safe.

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/json_writer.h"

namespace ferry::lineage {

// Node types and edge relations, as the API writes them.
inline constexpr char kDataset[] = "dataset";
inline constexpr char kArtifact[] = "artifact";
inline constexpr char kRun[] = "run";
inline constexpr char kPipelineRun[] = "pipeline_run";
inline constexpr char kStepRun[] = "step_run";
inline constexpr char kModelVersion[] = "model_version";

inline constexpr char kConsumed[] = "consumed";           // run -> dataset/artifact
inline constexpr char kProduced[] = "produced";           // run -> artifact/model version
inline constexpr char kChildOf[] = "child_of";            // run -> its parent run
inline constexpr char kRegisteredAs[] = "registered_as";  // training run -> model version

struct Node {
  std::string id;  // "run:<run id>", "data:<digest>", "model_version:<name>/<version>"
  std::string type;
  std::map<std::string, std::string> attrs;
};

struct Edge {
  std::string from;
  std::string to;
  std::string relation;
  bool operator==(const Edge&) const = default;
};

class Graph {
 public:
  explicit Graph(size_t max_nodes) : max_nodes_(max_nodes) {}

  // Adds `node`, or merges its attributes into the node with its id (attributes already set
  // stay; a dataset seen to be produced by a step becomes an artifact). False when the
  // limit refused it (the graph is then truncated).
  bool Add(Node node);
  bool Has(const std::string& id) const { return index_.count(id) > 0; }
  // The node with `id`; null when absent.
  const Node* Find(const std::string& id) const;
  // Adds the edge once; ignored unless both ends are in the graph.
  void Connect(const std::string& from, const std::string& to, const std::string& relation);

  const std::vector<Node>& nodes() const { return nodes_; }
  const std::vector<Edge>& edges() const { return edges_; }
  bool truncated() const { return truncated_; }
  // Says that more was found than the graph holds.
  void MarkTruncated() { truncated_ = true; }
  bool full() const { return nodes_.size() >= max_nodes_; }

  // {"root": ROOT, "nodes": [{"id", "type", attrs...}], "edges": [{"from", "to",
  // "relation"}], "truncated": bool}
  void WriteJson(const std::string& root, JsonWriter& w) const;

 private:
  size_t max_nodes_;
  bool truncated_ = false;
  std::vector<Node> nodes_;
  std::vector<Edge> edges_;
  std::set<std::string> edge_keys_;  // from \n to \n relation
  std::map<std::string, size_t> index_;
};

}  // namespace ferry::lineage
