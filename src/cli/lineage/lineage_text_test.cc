#include "cli/lineage/lineage_text.h"

#include <gtest/gtest.h>

namespace ferry::cli {
namespace {

// A version registered from a training run that a pipeline's train step started.
constexpr char kGraph[] = R"({"root": "model_version:m/1", "truncated": false,
  "nodes": [
    {"id": "model_version:m/1", "type": "model_version", "name": "m", "version": "1",
     "status": "READY", "aliases": "champion", "package_digest": "sha256:cc"},
    {"id": "run:t", "type": "run", "run_id": "t", "name": "logistic-data", "status": "FINISHED",
     "family": "logistic"},
    {"id": "run:s", "type": "step_run", "run_id": "s", "step": "train", "kind": "train",
     "state": "succeeded"},
    {"id": "run:p", "type": "pipeline_run", "run_id": "p", "pipeline": "demo",
     "pipeline_run": "R1", "status": "FINISHED", "trigger": "manual"},
    {"id": "data:sha256:aa", "type": "dataset", "digest": "sha256:aa", "name": "data.csv",
     "source": "/p/data.csv"}],
  "edges": [
    {"from": "run:t", "to": "model_version:m/1", "relation": "registered_as"},
    {"from": "run:t", "to": "run:s", "relation": "child_of"},
    {"from": "run:s", "to": "run:p", "relation": "child_of"},
    {"from": "run:t", "to": "data:sha256:aa", "relation": "consumed"},
    {"from": "run:s", "to": "data:sha256:aa", "relation": "consumed"}]})";

TEST(LineageText, AnIndentedTreeFromTheRoot) {
  auto graph = ParseJson(kGraph);
  ASSERT_TRUE(graph.ok());
  auto text = LineageText(*graph);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(*text,
            "model version m/1 (READY, aliases champion, package sha256:cc)\n"
            "  registered from run t logistic-data (FINISHED, family logistic)\n"
            "    child of step train (train, succeeded, MLflow run s)\n"
            "      child of pipeline run demo R1 (FINISHED, trigger manual, MLflow run p)\n"
            "    consumed dataset sha256:aa (data.csv, source /p/data.csv)\n");
}

TEST(LineageText, SaysWhenTruncatedAndRefusesWhatIsNoGraph) {
  auto graph = ParseJson(
      R"({"root": "data:x", "truncated": true, "edges": [],
          "nodes": [{"id": "data:x", "type": "dataset", "digest": "x"}]})");
  ASSERT_TRUE(graph.ok());
  auto text = LineageText(*graph);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "dataset x\n(truncated at 1 nodes: ask for more with --max-nodes)\n");
  auto bad = ParseJson(R"({"nodes": []})");
  ASSERT_TRUE(bad.ok());
  EXPECT_TRUE(absl::IsInvalidArgument(LineageText(*bad).status()));
}

}  // namespace
}  // namespace ferry::cli
