#include "cli/init/templates.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pipeline/spec.h"

namespace ferry::cli::init {
namespace {

std::string File(const ProjectTemplate& t, const std::string& path) {
  for (const ProjectFile& f : t.files) {
    if (f.path == path) return f.content;
  }
  ADD_FAILURE() << "no " << path;
  return "";
}

DemoSettings Settings() {
  DemoSettings s;
  s.pipeline = "demo";
  s.model = "recsys";
  s.tracking_uri = "http://127.0.0.1:5000";
  return s;
}

TEST(DemoTemplateTest, ThePipelineParsesWithEveryStepOfTheLoop) {
  const ProjectTemplate t = DemoTemplate(Settings());
  auto spec = pipeline::ParsePipelineSpec(File(t, "pipeline.yaml"), "pipeline.yaml", "/p");
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->name, "demo");
  EXPECT_EQ(spec->tracking_uri, "http://127.0.0.1:5000");
  std::vector<std::string> kinds;
  for (const auto& step : spec->steps)
    kinds.push_back(step.name + ":" + pipeline::StepKindName(step.kind));
  EXPECT_EQ(kinds, (std::vector<std::string>{"validate:validate", "train:train",
                                             "evaluate:evaluate", "sign:sign", "gate:gate",
                                             "register:register", "promote:promote"}));
  EXPECT_EQ(spec->FindStep("gate")->params.at("model"), "recsys");
  EXPECT_NE(File(t, "thresholds.json").find("hit_rate_at_20"), std::string::npos);
  EXPECT_NE(File(t, ".github/workflows/ferry.yml").find("ferry pipeline run"), std::string::npos);
  ASSERT_EQ(spec->triggers.size(), 1u);
}

TEST(DemoTemplateTest, TheDriftTriggerNamesTheDeployment) {
  const std::string yaml = File(DemoTemplate(Settings()), "pipeline.yaml");
  EXPECT_NE(yaml.find("triggers:\n"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("- alert: {deployment: recsys, type: data_drift}"), std::string::npos);
}

TEST(InitTemplatesTest, TheNextStepsNameGateAndPromoteAsStepKinds) {
  const std::string readme = File(RecommenderTemplate("r"), "README.md");
  EXPECT_EQ(readme.find("not step kinds"), std::string::npos);
  EXPECT_NE(readme.find("`kind: gate`"), std::string::npos);
  EXPECT_NE(readme.find("`kind: promote`"), std::string::npos);
}

}  // namespace
}  // namespace ferry::cli::init
