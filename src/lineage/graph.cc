#include "lineage/graph.h"

namespace ferry::lineage {

bool Graph::Add(Node node) {
  auto it = index_.find(node.id);
  if (it != index_.end()) {
    Node& existing = nodes_[it->second];
    for (auto& [k, v] : node.attrs) existing.attrs.emplace(k, std::move(v));
    if (existing.type == kDataset && node.type == kArtifact) existing.type = kArtifact;
    return true;
  }
  if (full()) {
    truncated_ = true;
    return false;
  }
  index_.emplace(node.id, nodes_.size());
  nodes_.push_back(std::move(node));
  return true;
}

const Node* Graph::Find(const std::string& id) const {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : &nodes_[it->second];
}

void Graph::Connect(const std::string& from, const std::string& to, const std::string& relation) {
  if (from == to || !Has(from) || !Has(to)) return;
  if (edge_keys_.insert(from + '\n' + to + '\n' + relation).second) {
    edges_.push_back(Edge{from, to, relation});
  }
}

void Graph::WriteJson(const std::string& root, JsonWriter& w) const {
  w.Field("root", root).Key("nodes").BeginArray();
  for (const Node& n : nodes_) {
    w.BeginObject().Field("id", n.id).Field("type", n.type);
    for (const auto& [k, v] : n.attrs) w.Field(k, v);
    w.EndObject();
  }
  w.EndArray().Key("edges").BeginArray();
  for (const Edge& e : edges_) {
    w.BeginObject().Field("from", e.from).Field("to", e.to).Field("relation", e.relation);
    w.EndObject();
  }
  w.EndArray().FieldBool("truncated", truncated_);
}

}  // namespace ferry::lineage
