#include "pipeline/step_command.h"

#include "gtest/gtest.h"

namespace ferry::pipeline {
namespace {

using Argv = std::vector<std::string>;

PipelineSpec Parse(const std::string& text) {
  absl::StatusOr<PipelineSpec> spec = ParsePipelineSpec(text, "p.yaml", "/proj");
  EXPECT_TRUE(spec.ok()) << spec.status();
  return spec.value_or(PipelineSpec{});
}

constexpr char kLoop[] = R"(name: loop
steps:
  evaluate:
    kind: evaluate
    inputs: {package: pkg}
    outputs: [metrics]
  gate:
    kind: gate
    inputs: {metrics: steps.evaluate.outputs.metrics, thresholds: gate.json}
    outputs: [blessing]
    params: {model: churn}
  register:
    kind: register
    depends_on: [gate]
    inputs: {package: pkg}
    outputs: [version]
    params: {model: churn}
  promote:
    kind: promote
    inputs: {version: steps.register.outputs.version}
    outputs: [result]
    params: {percent: "20", window: "30"}
)";

TEST(StepCommandTest, GateRegisterPromoteCompileToFerryCommands) {
  PipelineSpec spec = Parse(kLoop);
  ASSERT_EQ(spec.steps.size(), 4u);
  BuiltinContext context{"/bin/ferry", "http://127.0.0.1:5000"};
  absl::StatusOr<Argv> gate = ArgvTemplate(*spec.FindStep("gate"), context, {});
  ASSERT_TRUE(gate.ok()) << gate.status();
  EXPECT_EQ(*gate, (Argv{"/bin/ferry", "gate", "--candidate-metrics", "${inputs.metrics}",
                         "--thresholds", "${inputs.thresholds}", "--output", "${outputs.blessing}",
                         "--server", "http://127.0.0.1:5000", "--model", "churn"}));
  absl::StatusOr<Argv> reg = ArgvTemplate(*spec.FindStep("register"), context, {});
  ASSERT_TRUE(reg.ok()) << reg.status();
  EXPECT_EQ(reg->back(), "${outputs.version}");
  absl::StatusOr<Argv> promote = ArgvTemplate(*spec.FindStep("promote"), context, {});
  ASSERT_TRUE(promote.ok()) << promote.status();
  EXPECT_EQ(*promote, (Argv{"/bin/ferry", "promote", "--version-from", "${inputs.version}",
                            "--server", "http://127.0.0.1:5000", "--output", "${outputs.result}",
                            "--percent", "20", "--window", "30"}));
}

TEST(StepCommandTest, GateWithoutAServerHasNoBaselinePromoteNeedsOne) {
  PipelineSpec spec = Parse(kLoop);
  BuiltinContext local{"/bin/ferry", ""};
  absl::StatusOr<Argv> gate = ArgvTemplate(*spec.FindStep("gate"), local, {});
  ASSERT_TRUE(gate.ok()) << gate.status();
  EXPECT_EQ(Argv(gate->begin() + 8, gate->begin() + 10), (Argv{"--baseline-alias", ""}));
  absl::StatusOr<Argv> promote = ArgvTemplate(*spec.FindStep("promote"), local, {});
  ASSERT_FALSE(promote.ok());
  EXPECT_NE(promote.status().message().find("a promote step needs a tracking server"),
            std::string::npos);
}

TEST(StepCommandTest, GateAndPromoteSayWhatTheyNeed) {
  absl::StatusOr<PipelineSpec> gate = ParsePipelineSpec(
      "name: x\nsteps:\n  g:\n    kind: gate\n    inputs: {metrics: m.json}\n", "p.yaml", "/");
  ASSERT_FALSE(gate.ok());
  EXPECT_NE(gate.status().message().find("a gate step needs inputs.thresholds"), std::string::npos)
      << gate.status();
  absl::StatusOr<PipelineSpec> promote =
      ParsePipelineSpec("name: x\nsteps:\n  p:\n    kind: promote\n", "p.yaml", "/");
  ASSERT_FALSE(promote.ok());
  EXPECT_NE(promote.status().message().find("a promote step needs inputs.version"),
            std::string::npos)
      << promote.status();
}

}  // namespace
}  // namespace ferry::pipeline
