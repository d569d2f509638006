// libFuzzer target for pipeline.yaml (pipeline/spec.h): yaml-cpp's parser and our reading and
// checking of what it gives. Properties checked:
//   * every error is kInvalidArgument and starts with the file name ("fuzz.yaml:"), located
//     when it has a position;
//   * a spec that parses has a DAG whose order holds every step once, each after its
//     upstream steps, and every step compiles to a command line with the parameters' defaults.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "pipeline/dag.h"
#include "pipeline/spec.h"
#include "pipeline/step_command.h"

namespace {

using namespace ferry::pipeline;  // NOLINT

void CheckSpec(const PipelineSpec& spec) {
  absl::StatusOr<Dag> dag = Dag::Build(spec);
  Check(dag.ok());
  Check(dag->order().size() == spec.steps.size());
  std::vector<int> position(spec.steps.size(), -1);
  for (size_t i = 0; i < dag->order().size(); ++i) {
    Check(position[dag->order()[i]] == -1);
    position[dag->order()[i]] = static_cast<int>(i);
  }
  for (int s = 0; s < dag->size(); ++s) {
    for (int up : dag->upstream(s)) Check(position[up] < position[s]);
  }
  auto params = ResolveParameters(spec, {});
  Check(params.ok());
  for (const StepSpec& step : spec.steps) {
    Check(ArgvTemplate(step, BuiltinContext{"/ferry", "http://t"}, *params).ok());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<PipelineSpec> spec = ParsePipelineSpec(text, "fuzz.yaml", "/base");
  if (!spec.ok()) {
    Check(spec.status().code() == absl::StatusCode::kInvalidArgument);
    Check(spec.status().message().rfind("fuzz.yaml:", 0) == 0);
    return 0;
  }
  CheckSpec(*spec);
  return 0;
}
