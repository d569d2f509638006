#include "cli/lineage/lineage_text.h"

#include <algorithm>
#include <map>
#include <set>
#include <vector>

namespace ferry::cli {
namespace {

std::string Attr(const JsonValue& node, std::string_view key) {
  const JsonValue* v = node.Find(key);
  return v != nullptr && v->is_string() ? v->as_string() : "";
}

// " (a, b)" of the non-empty parts, "" when none.
std::string Paren(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) {
    if (p.empty()) continue;
    out += (out.empty() ? " (" : ", ") + p;
  }
  return out.empty() ? "" : out + ")";
}

std::string Prefixed(const std::string& label, const std::string& value) {
  return value.empty() ? "" : label + value;
}

std::string Label(const JsonValue& n) {
  const std::string type = Attr(n, "type");
  if (type == "model_version") {
    return "model version " + Attr(n, "name") + "/" + Attr(n, "version") +
           Paren({Attr(n, "status"), Prefixed("aliases ", Attr(n, "aliases")),
                  Prefixed("package ", Attr(n, "package_digest"))});
  }
  if (type == "pipeline_run") {
    return "pipeline run " + Attr(n, "pipeline") + " " + Attr(n, "pipeline_run") +
           Paren({Attr(n, "status"), Prefixed("trigger ", Attr(n, "trigger")),
                  Prefixed("MLflow run ", Attr(n, "run_id"))});
  }
  if (type == "step_run") {
    return "step " + Attr(n, "step") +
           Paren({Attr(n, "kind"), Attr(n, "state"),
                  Attr(n, "cache_hit") == "true" ? "cache hit" : "",
                  Prefixed("MLflow run ", Attr(n, "run_id"))});
  }
  if (type == "run") {
    if (Attr(n, "missing") == "true") return "run " + Attr(n, "run_id") + " (not on this server)";
    return "run " + Attr(n, "run_id") + " " + Attr(n, "name") +
           Paren({Attr(n, "status"), Prefixed("family ", Attr(n, "family")),
                  Prefixed("pipeline run ", Attr(n, "pipeline_run")),
                  Prefixed("step ", Attr(n, "step"))});
  }
  return type + " " + Attr(n, "digest") +
         Paren({Attr(n, "name"), Prefixed("source ", Attr(n, "source"))});
}

// How `to` relates to the node shown above it: the edge's relation read from `from`
// (forward) or from its other end.
std::string Phrase(const std::string& relation, bool forward) {
  if (relation == "registered_as") return forward ? "registered as" : "registered from";
  if (relation == "consumed") return forward ? "consumed" : "consumed by";
  if (relation == "produced") return forward ? "produced" : "produced by";
  if (relation == "child_of") return forward ? "child of" : "parent of";
  return relation;
}

struct Link {
  std::string other;
  std::string phrase;
};

class Tree {
 public:
  Tree(const JsonValue& nodes, const JsonValue& edges) {
    for (const JsonValue& n : nodes.items()) nodes_[Attr(n, "id")] = &n;
    for (const JsonValue& e : edges.items()) {
      const std::string from = Attr(e, "from"), to = Attr(e, "to"), rel = Attr(e, "relation");
      links_[from].push_back({to, Phrase(rel, true)});
      links_[to].push_back({from, Phrase(rel, false)});
    }
  }

  void Print(const std::string& root, std::string& out) {
    auto it = nodes_.find(root);
    if (it == nodes_.end()) return;
    shown_.insert(root);
    out += Label(*it->second) + "\n";
    Children(root, 1, out);
  }

 private:
  void Children(const std::string& id, int depth, std::string& out) {
    std::vector<std::string> next;
    for (const Link& l : links_[id]) {  // claim them first: a node goes under its nearest parent
      if (nodes_.count(l.other) && shown_.insert(l.other).second) next.push_back(l.other);
    }
    for (const Link& l : links_[id]) {
      if (std::find(next.begin(), next.end(), l.other) == next.end()) continue;
      out += std::string(2 * depth, ' ') + l.phrase + " " + Label(*nodes_[l.other]) + "\n";
      next.erase(std::find(next.begin(), next.end(), l.other));
      Children(l.other, depth + 1, out);
    }
  }

  std::map<std::string, const JsonValue*> nodes_;
  std::map<std::string, std::vector<Link>> links_;
  std::set<std::string> shown_;
};

}  // namespace

absl::StatusOr<std::string> LineageText(const JsonValue& graph) {
  const JsonValue* root = graph.Find("root");
  const JsonValue* nodes = graph.Find("nodes");
  const JsonValue* edges = graph.Find("edges");
  if (root == nullptr || !root->is_string() || nodes == nullptr || !nodes->is_array() ||
      edges == nullptr || !edges->is_array()) {
    return absl::InvalidArgumentError("the server's answer is not a lineage graph");
  }
  std::string out;
  Tree(*nodes, *edges).Print(root->as_string(), out);
  const JsonValue* truncated = graph.Find("truncated");
  if (truncated != nullptr && truncated->is_bool() && truncated->as_bool()) {
    out += "(truncated at " + std::to_string(nodes->items().size()) +
           " nodes: ask for more with --max-nodes)\n";
  }
  return out;
}

}  // namespace ferry::cli
