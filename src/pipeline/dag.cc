#include "pipeline/dag.h"

#include <algorithm>

namespace ferry::pipeline {
namespace {

// Depth-first search for a cycle; fills `path` with it (first step repeated at the end).
bool FindCycle(const std::vector<std::vector<int>>& down, int node, std::vector<int>& color,
               std::vector<int>& stack, std::vector<int>& path) {
  color[node] = 1;
  stack.push_back(node);
  for (int next : down[node]) {
    if (color[next] == 1) {
      auto it = std::find(stack.begin(), stack.end(), next);
      path.assign(it, stack.end());
      path.push_back(next);
      return true;
    }
    if (color[next] == 0 && FindCycle(down, next, color, stack, path)) return true;
  }
  stack.pop_back();
  color[node] = 2;
  return false;
}

}  // namespace

absl::StatusOr<Dag> Dag::Build(const PipelineSpec& spec) {
  Dag dag;
  const int n = static_cast<int>(spec.steps.size());
  for (int i = 0; i < n; ++i) {
    dag.names_.push_back(spec.steps[i].name);
    dag.index_[spec.steps[i].name] = i;
  }
  dag.upstream_.resize(n);
  dag.downstream_.resize(n);
  for (int i = 0; i < n; ++i) {
    const StepSpec& step = spec.steps[i];
    std::vector<int>& up = dag.upstream_[i];
    for (const std::string& dep : step.depends_on) {
      int j = dag.index(dep);
      if (j < 0 || j == i) {
        auto at = step.depends_on_where.find(dep);
        return SpecError(
            spec, at == step.depends_on_where.end() ? step.where : at->second,
            "steps." + step.name + ".depends_on: " +
                (j < 0 ? "no step named '" + dep + "'" : "a step cannot wait for itself"));
      }
      up.push_back(j);
    }
    for (const auto& [name, input] : step.inputs) {
      if (!input.from_step.empty() && dag.index(input.from_step) >= 0) {
        up.push_back(dag.index(input.from_step));
      }
    }
    std::sort(up.begin(), up.end());
    up.erase(std::unique(up.begin(), up.end()), up.end());
    for (int j : up) dag.downstream_[j].push_back(i);
  }
  std::vector<int> color(n, 0), stack, path;
  for (int i = 0; i < n; ++i) {
    if (color[i] == 0 && FindCycle(dag.downstream_, i, color, stack, path)) {
      std::string text;
      for (int s : path) text += (text.empty() ? "" : " -> ") + dag.names_[s];
      return SpecError(spec, spec.steps[path[0]].where, "steps: a cycle: " + text);
    }
  }
  // Kahn's algorithm, always taking the ready step that comes first in the file.
  std::vector<int> waiting(n);
  for (int i = 0; i < n; ++i) waiting[i] = static_cast<int>(dag.upstream_[i].size());
  std::vector<bool> done(n, false);
  while (static_cast<int>(dag.order_.size()) < n) {
    int next = 0;
    while (done[next] || waiting[next] > 0) ++next;
    done[next] = true;
    dag.order_.push_back(next);
    for (int d : dag.downstream_[next]) --waiting[d];
  }
  return dag;
}

int Dag::index(const std::string& step_name) const {
  auto it = index_.find(step_name);
  return it == index_.end() ? -1 : it->second;
}

std::vector<int> Dag::Dependants(int step) const {
  std::vector<bool> seen(names_.size(), false);
  std::vector<int> todo = {step};
  while (!todo.empty()) {
    int s = todo.back();
    todo.pop_back();
    for (int d : downstream_[s]) {
      if (!seen[d]) {
        seen[d] = true;
        todo.push_back(d);
      }
    }
  }
  std::vector<int> out;
  for (int s : order_) {
    if (seen[s]) out.push_back(s);
  }
  return out;
}

}  // namespace ferry::pipeline
