#include "pipeline/dag.h"

#include <gtest/gtest.h>

namespace ferry::pipeline {
namespace {

PipelineSpec Diamond() {
  auto spec = ParsePipelineSpec(R"(name: d
steps:
  join: {kind: command, argv: [x], inputs: {a: steps.left.outputs.o, b: steps.right.outputs.o}}
  left: {kind: command, argv: [x], outputs: [o], inputs: {i: steps.root.outputs.o}}
  right: {kind: command, argv: [x], outputs: [o], depends_on: [root]}
  root: {kind: command, argv: [x], outputs: [o]}
  lone: {kind: command, argv: [x]}
)",
                                "p.yaml", "/");
  EXPECT_TRUE(spec.ok()) << spec.status();
  return *spec;
}

std::vector<std::string> Names(const Dag& dag, const std::vector<int>& steps) {
  std::vector<std::string> out;
  for (int s : steps) out.push_back(dag.name(s));
  return out;
}

TEST(Dag, TopologicalOrderPrefersFileOrder) {
  auto dag = Dag::Build(Diamond());
  ASSERT_TRUE(dag.ok()) << dag.status();
  EXPECT_EQ(Names(*dag, dag->order()),
            (std::vector<std::string>{"root", "left", "right", "join", "lone"}));
  EXPECT_EQ(Names(*dag, dag->upstream(dag->index("join"))),
            (std::vector<std::string>{"left", "right"}));
}

TEST(Dag, DependantsAreEverythingDownstream) {
  auto dag = Dag::Build(Diamond());
  ASSERT_TRUE(dag.ok());
  EXPECT_EQ(Names(*dag, dag->Dependants(dag->index("root"))),
            (std::vector<std::string>{"left", "right", "join"}));
  EXPECT_EQ(Names(*dag, dag->Dependants(dag->index("right"))), std::vector<std::string>{"join"});
  EXPECT_TRUE(dag->Dependants(dag->index("lone")).empty());
}

TEST(Dag, CycleIsNamedStepByStep) {
  auto spec = ParsePipelineSpec(R"(name: c
steps:
  a: {kind: command, argv: [x], depends_on: [c]}
  b: {kind: command, argv: [x], depends_on: [a]}
  c: {kind: command, argv: [x], depends_on: [b]}
)",
                                "p.yaml", "/");
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.status().message(), "p.yaml:3:3: steps: a cycle: a -> b -> c -> a");
}

}  // namespace
}  // namespace ferry::pipeline
