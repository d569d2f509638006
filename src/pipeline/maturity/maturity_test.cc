#include "pipeline/maturity/maturity.h"

#include <gtest/gtest.h>

namespace ferry::pipeline::maturity {
namespace {

const TestResult& Find(const Assessment& a, const std::string& id) {
  for (const auto& t : a.tests) {
    if (t.id == id) return t;
  }
  static const TestResult none;
  ADD_FAILURE() << "no test " << id;
  return none;
}

double Section(const Assessment& a, const std::string& name) {
  for (const auto& s : a.sections) {
    if (s.section == name) return s.score;
  }
  ADD_FAILURE() << "no section " << name;
  return -1;
}

// A pipeline with validate, train and evaluate, a schema, run once by hand.
Observations ManualProject() {
  Observations o;
  o.dir = "proj";
  o.project.pipeline_file = "pipeline.yaml";
  o.project.step_kinds = {"validate", "train", "evaluate"};
  o.project.schema_file = "schema.json";
  o.project.train_seed = true;
  o.project.local_runs = 1;
  return o;
}

Observations FullProject() {
  Observations o = ManualProject();
  o.project.step_kinds = {"validate", "train", "evaluate", "gate", "promote", "register", "bias"};
  o.project.ci_files = {".github/workflows/ferry.yml"};
  o.project.git = true;
  ServerFacts s;
  s.url = "http://127.0.0.1:5000";
  s.reached = true;
  s.models.push_back({"recs", 3, {"champion=3", "challenger=2"}, {"2", "3"}, {"3"}});
  s.pipeline_runs.push_back({"abc123", "recs", "drift"});
  s.deployments.push_back({"recs", true, true, true, true});
  o.server = s;
  return o;
}

TEST(MaturityTest, EmptyProjectIsLevelZeroScoreZero) {
  const Assessment a = Assess(Observations{});
  ASSERT_EQ(a.tests.size(), 28u);
  EXPECT_EQ(a.level, 0);
  EXPECT_EQ(a.score, 0);
  EXPECT_EQ(a.band, "research project");
  for (const auto& t : a.tests) {
    EXPECT_EQ(t.score, 0) << t.id;
    EXPECT_TRUE(t.evidence.empty()) << t.id;
    EXPECT_FALSE(t.missing.empty()) << t.id;
  }
  for (const auto& c : a.characteristics) EXPECT_FALSE(c.met) << c.name;
  ASSERT_EQ(a.sections.size(), 4u);
  EXPECT_EQ(a.sections[0].section, "Data");
  EXPECT_EQ(a.sections[3].section, "Monitor");
}

TEST(MaturityTest, TestIdsAreThePapersInOrder) {
  const Assessment a = Assess(Observations{});
  const char* ids[] = {"Data 1",  "Data 7",  "Model 1",   "Model 7",
                       "Infra 1", "Infra 7", "Monitor 1", "Monitor 7"};
  const size_t at[] = {0, 6, 7, 13, 14, 20, 21, 27};
  for (int i = 0; i < 8; ++i) EXPECT_EQ(a.tests[at[i]].id, ids[i]);
}

TEST(MaturityTest, ManualPipelineScoresHalfPoints) {
  const Assessment a = Assess(ManualProject());
  EXPECT_EQ(Find(a, "Data 1").score, 0.5);
  EXPECT_NE(Find(a, "Data 1").evidence.find("schema.json"), std::string::npos);
  EXPECT_NE(Find(a, "Data 1").missing.find("CI"), std::string::npos);
  EXPECT_EQ(Find(a, "Infra 1").score, 0.5);
  EXPECT_EQ(Find(a, "Infra 3").score, 0.5);
  EXPECT_EQ(Find(a, "Infra 4").score, 0.5);    // evaluate without a gate
  EXPECT_EQ(Find(a, "Monitor 2").score, 0.5);  // validate step only
  EXPECT_EQ(Find(a, "Model 1").score, 0);      // not in git
  EXPECT_EQ(a.score, 0);                       // the Model section is empty
  EXPECT_EQ(a.level, 0);
}

TEST(MaturityTest, CiMakesTestsAutomated) {
  Observations o = ManualProject();
  o.project.ci_files = {".gitlab-ci.yml"};
  const Assessment a = Assess(o);
  EXPECT_EQ(Find(a, "Data 1").score, 1.0);
  EXPECT_TRUE(Find(a, "Data 1").missing.empty());
  EXPECT_NE(Find(a, "Data 1").evidence.find(".gitlab-ci.yml"), std::string::npos);
  EXPECT_EQ(Find(a, "Infra 3").score, 1.0);
  EXPECT_EQ(Find(a, "Infra 4").score, 0.5);  // still no gate
  EXPECT_EQ(Section(a, "Data"), 1.0);
}

TEST(MaturityTest, ManualTriggerIsNotContinuousTraining) {
  Observations o = ManualProject();
  ServerFacts s;
  s.reached = true;
  s.pipeline_runs.push_back({"r1", "demo", "manual"});
  o.server = s;
  const Assessment a = Assess(o);
  EXPECT_EQ(Find(a, "Data 1").score, 0.5);
  for (const auto& c : a.characteristics) {
    if (c.name == "At least one automatic pipeline trigger") {
      EXPECT_FALSE(c.met);
    }
    if (c.name == "Metadata management per pipeline run") {
      EXPECT_TRUE(c.met);
    }
  }
}

TEST(MaturityTest, ScheduledCiIsATrigger) {
  Observations o = ManualProject();
  o.project.ci_files = {".github/workflows/ferry.yml"};
  auto met = [](const Assessment& a, const std::string& name) {
    for (const auto& c : a.characteristics) {
      if (c.name == name) return c.met;
    }
    ADD_FAILURE() << "no characteristic " << name;
    return false;
  };
  EXPECT_FALSE(met(Assess(o), "At least one automatic pipeline trigger"));
  o.project.ci_schedules = o.project.ci_files;
  const Assessment a = Assess(o);
  EXPECT_TRUE(met(a, "At least one automatic pipeline trigger"));
  EXPECT_FALSE(met(a, "Monitoring triggers the pipeline"));
  EXPECT_EQ(a.level, 0);  // no gate, no delivery
}

TEST(MaturityTest, UnreachedServerCountsNothing) {
  Observations o = FullProject();
  o.server->reached = false;
  const Assessment a = Assess(o);
  EXPECT_EQ(Find(a, "Infra 7").score, 0);
  EXPECT_EQ(Find(a, "Monitor 3").score, 0);
  EXPECT_LT(a.level, 2);
}

TEST(MaturityTest, FullEvidenceIsLevelTwo) {
  const Assessment a = Assess(FullProject());
  EXPECT_EQ(a.level, 2);
  EXPECT_EQ(Section(a, "Data"), 1.0);
  EXPECT_EQ(Section(a, "Model"), 4.0);    // Model 1, 2, 5, 7
  EXPECT_EQ(Section(a, "Infra"), 5.5);    // Infra 1, 3, 4, 6, 7 and 0.5 for 5
  EXPECT_EQ(Section(a, "Monitor"), 3.5);  // Monitor 2, 3, 7 and 0.5 for 6
  EXPECT_EQ(a.score, 1.0);
  EXPECT_EQ(a.band, "not totally untested, possible serious holes");
  EXPECT_NE(Find(a, "Infra 7").evidence.find("champion=3"), std::string::npos);
  EXPECT_NE(Find(a, "Infra 6").evidence.find("ferry.promotion"), std::string::npos);
  for (const auto& c : a.characteristics) EXPECT_TRUE(c.met) << c.name;
}

TEST(MaturityTest, LevelOneWithoutRegistryOrMonitoringTrigger) {
  Observations o = FullProject();
  o.server->models.clear();
  o.server->deployments.clear();
  o.server->pipeline_runs[0].trigger = "schedule";
  const Assessment a = Assess(o);
  EXPECT_EQ(a.level, 1);
  EXPECT_EQ(Find(a, "Infra 7").score, 0);
  EXPECT_EQ(Find(a, "Monitor 3").score, 0);
  int unmet2 = 0;
  for (const auto& c : a.characteristics) {
    if (!c.met) {
      EXPECT_EQ(c.level, 2) << c.name;
      EXPECT_FALSE(c.missing.empty());
      ++unmet2;
    }
  }
  EXPECT_EQ(unmet2, 2);  // registry, monitoring triggers
}

TEST(MaturityTest, RollbackNeedsSeveralVersions) {
  Observations o;
  ServerFacts s;
  s.reached = true;
  s.models.push_back({"m", 1, {"champion=1"}, {}, {}});
  o.server = s;
  EXPECT_EQ(Find(Assess(o), "Infra 7").score, 0);
  o.server->models[0].versions = 2;
  const Assessment a = Assess(o);
  EXPECT_EQ(Find(a, "Infra 7").score, 0.5);
  EXPECT_NE(Find(a, "Infra 7").missing.find("ferry promote"), std::string::npos);
}

TEST(MaturityTest, ScoreBands) {
  EXPECT_EQ(ScoreBand(0), "research project");
  EXPECT_EQ(ScoreBand(0.5), "not totally untested, possible serious holes");
  EXPECT_EQ(ScoreBand(1), "not totally untested, possible serious holes");
  EXPECT_EQ(ScoreBand(1.5), "first pass at productionization");
  EXPECT_EQ(ScoreBand(3), "reasonably tested");
  EXPECT_EQ(ScoreBand(5), "strong, suitable for mission-critical systems");
  EXPECT_EQ(ScoreBand(5.5), "exceptional");
}

}  // namespace
}  // namespace ferry::pipeline::maturity
