#pragma once
// The step graph of a pipeline: an edge A -> B when B names A in depends_on or reads one of
// A's outputs. Built once per run from a checked spec.

#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "pipeline/spec.h"

namespace ferry::pipeline {

class Dag {
 public:
  // kInvalidArgument (located) for a dependency on an unknown step, or a cycle, named step by
  // step ("a -> b -> c -> a").
  static absl::StatusOr<Dag> Build(const PipelineSpec& spec);

  int size() const { return static_cast<int>(names_.size()); }
  const std::string& name(int step) const { return names_[step]; }
  int index(const std::string& name) const;  // -1 when absent
  // The steps `step` waits for, and those waiting for it.
  const std::vector<int>& upstream(int step) const { return upstream_[step]; }
  const std::vector<int>& downstream(int step) const { return downstream_[step]; }
  // A topological order: file order among steps that are ready together.
  const std::vector<int>& order() const { return order_; }
  // Every step reachable downstream of `step` (not itself), in topological order.
  std::vector<int> Dependants(int step) const;

 private:
  std::vector<std::string> names_;
  std::map<std::string, int> index_;
  std::vector<std::vector<int>> upstream_;
  std::vector<std::vector<int>> downstream_;
  std::vector<int> order_;
};

}  // namespace ferry::pipeline
