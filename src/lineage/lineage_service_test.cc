// LineageService over a real SQLite store holding what a tracked pipeline run leaves: a
// pipeline run (parent), its step runs (children with digest tags and dataset inputs), the
// train step's own training run (in another experiment, a child of the pipeline run and
// tagged with its step) and the model version the register step created from its package.

#include "lineage/lineage_service.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/dataset_digest.h"
#include "lineage/run_nodes.h"
#include "store/sqlite/testing/sqlite_test_util.h"

namespace ferry::lineage {
namespace {

const std::string kCsv = "sha256:" + std::string(64, 'a');       // the pipeline's input file
const std::string kSample = "sha256:" + std::string(64, 'b');    // sample step's output
const std::string kPackage = "sha256:" + std::string(64, 'c');   // train step's output
const std::string kManifest = "sha256:" + std::string(64, 'd');  // the package's digest
const std::string kOther = "sha256:" + std::string(64, 'e');     // unrelated data

class LineageTest : public store::sqlite::testing::SqliteStoreTest {
 protected:
  void SetUp() override {
    SqliteStoreTest::SetUp();
    const std::string pipelines = NewExperiment("pipeline-demo");
    const std::string trainings = NewExperiment("training");
    parent_ =
        NewRun(pipelines, 1, 1000, {{"ferry.pipeline", "demo"}, {"ferry.pipeline.run", "R1"}});
    sample_ = Step(pipelines, 2, "sample", "command",
                   {{"ferry.input.data", kCsv}, {"ferry.output.sample", kSample}});
    Inputs(sample_, kCsv, "data.csv", "/p/data.csv");
    train_step_ = Step(pipelines, 3, "train", "train",
                       {{"ferry.input.data", kSample}, {"ferry.output.package", kPackage}});
    register_ = Step(pipelines, 4, "register", "register", {{"ferry.input.package", kPackage}});
    training_ = NewRun(trainings, 5, 1005,
                       {{"mlflow.parentRunId", parent_},
                        {"ferry.pipeline.run", "R1"},
                        {"ferry.step", "train"},
                        {"ferry.data.digest", kSample},
                        {"ferry.family", "logistic"}});
    unrelated_ = NewRun(trainings, 6, 1006, {{"ferry.data.digest", kOther}});
    Version("m", training_, {{"ferry.pipeline.run", "R1"}, {"ferry.step", "register"}});
    Version("m", unrelated_, {});
    // Workspace team-a: its own run, and its `m` with a version of its run and one naming
    // default's training run (a run id is free text). Default's queries never show them.
    ASSERT_TRUE(store_->CreateWorkspace(kTeamA, "", 1).ok());
    const std::string team_a =
        store_->CreateExperimentIn(kTeamA, "a", "", "mlflow-artifacts:", {}, 1).value_or("");
    team_run_ = NewRun(team_a, 7, 1007, {});
    Version("m", team_run_, {}, kTeamA);
    Version("m", training_, {}, kTeamA);
    service_ = std::make_unique<LineageService>(*store_, *store_);
  }

  std::string Step(const std::string& exp, int n, const std::string& name, const std::string& kind,
                   std::vector<RunTag> tags) {
    tags.insert(tags.end(), {{"mlflow.parentRunId", parent_},
                             {"ferry.pipeline.run", "R1"},
                             {"ferry.step", name},
                             {"ferry.step.kind", kind}});
    return NewRun(exp, n, 1000 + n, tags);
  }

  void Inputs(const std::string& run, const std::string& digest, const std::string& name,
              const std::string& source) {
    DatasetInput in;  // as Ferry logs it: MLflow's short digest, the full one as a tag
    in.tags = {{kDatasetDigestTag, digest}};
    in.dataset = {name, MlflowDatasetDigest(digest), "local", source, std::nullopt, std::nullopt};
    ASSERT_TRUE(store_->LogInputs(run, {in}).ok());
  }

  void Version(const std::string& model, const std::string& run_id,
               const std::vector<ModelVersionTag>& tags, const std::string& ws = "default") {
    if (!store_->GetRegisteredModel(ws, model).ok()) {
      RegisteredModel m;
      m.name = model;
      ASSERT_TRUE(store_->CreateRegisteredModel(ws, m).ok());
    }
    ModelVersion v;
    v.name = model;
    v.run_id = run_id;
    v.source = "mlflow-artifacts:/packages/sha256-" + kManifest.substr(7);
    auto created = store_->CreateModelVersion(ws, v);
    ASSERT_TRUE(created.ok()) << created.status();
    for (const auto& t : tags)
      ASSERT_TRUE(store_->SetModelVersionTag(ws, model, created->version, t).ok());
  }

  static bool HasEdge(const Graph& g, const std::string& from, const std::string& to,
                      const std::string& relation) {
    const auto& e = g.edges();
    return std::find(e.begin(), e.end(), Edge{from, to, relation}) != e.end();
  }
  static std::string TypeOf(const Graph& g, const std::string& id) {
    const Node* n = g.Find(id);
    return n == nullptr ? "(absent)" : n->type;
  }

  // The whole pipeline run, as every query about it must see it.
  void ExpectPipeline(const Graph& g) {
    const std::string v1 = VersionNodeId("m", 1);
    EXPECT_EQ(TypeOf(g, RunNodeId(parent_)), kPipelineRun);
    EXPECT_EQ(TypeOf(g, RunNodeId(sample_)), kStepRun);
    EXPECT_EQ(TypeOf(g, RunNodeId(training_)), kRun);
    EXPECT_EQ(TypeOf(g, DataNodeId(kCsv)), kDataset);
    EXPECT_EQ(TypeOf(g, DataNodeId(kSample)), kArtifact);  // produced by a step
    EXPECT_EQ(TypeOf(g, v1), kModelVersion);
    for (const std::string& step : {sample_, train_step_, register_}) {
      EXPECT_TRUE(HasEdge(g, RunNodeId(step), RunNodeId(parent_), kChildOf)) << step;
    }
    EXPECT_TRUE(HasEdge(g, RunNodeId(training_), RunNodeId(train_step_), kChildOf));
    EXPECT_TRUE(HasEdge(g, RunNodeId(sample_), DataNodeId(kCsv), kConsumed));
    EXPECT_TRUE(HasEdge(g, RunNodeId(sample_), DataNodeId(kSample), kProduced));
    EXPECT_TRUE(HasEdge(g, RunNodeId(training_), DataNodeId(kSample), kConsumed));
    EXPECT_TRUE(HasEdge(g, RunNodeId(train_step_), DataNodeId(kPackage), kProduced));
    EXPECT_TRUE(HasEdge(g, RunNodeId(register_), DataNodeId(kPackage), kConsumed));
    EXPECT_TRUE(HasEdge(g, RunNodeId(training_), v1, kRegisteredAs));
    EXPECT_TRUE(HasEdge(g, RunNodeId(register_), v1, kProduced));
    EXPECT_FALSE(g.Has(RunNodeId(unrelated_)));
    EXPECT_FALSE(g.Has(VersionNodeId("m", 2)));  // default's is unrelated, team-a's not seen
    EXPECT_FALSE(g.truncated());
  }

  static constexpr char kTeamA[] = "team-a";
  std::string parent_, sample_, train_step_, register_, training_, unrelated_, team_run_;
  std::unique_ptr<LineageService> service_;
};

TEST_F(LineageTest, ModelVersionUpstreamIsItsTrainingRunPipelineAndData) {
  auto l = service_->ForModelVersion("m", 1, kDefaultMaxNodes);
  ASSERT_TRUE(l.ok()) << l.status();
  EXPECT_EQ(l->root, VersionNodeId("m", 1));
  ExpectPipeline(l->graph);
  const Node* v = l->graph.Find(VersionNodeId("m", 1));
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->attrs.at("package_digest"), kManifest);
  EXPECT_EQ(v->attrs.at("run_id"), training_);
  EXPECT_EQ(v->attrs.at("pipeline_run"), "R1");
  const Node* csv = l->graph.Find(DataNodeId(kCsv));
  ASSERT_NE(csv, nullptr);
  EXPECT_EQ(csv->attrs.at("source"), "/p/data.csv");
  EXPECT_EQ(l->graph.Find(RunNodeId(train_step_))->attrs.at("step"), "train");
}

TEST_F(LineageTest, DatasetDownstreamReachesTheModelVersionTrainedFromIt) {
  auto l = service_->ForDataset(kCsv, kDefaultMaxNodes);
  ASSERT_TRUE(l.ok()) << l.status();
  EXPECT_EQ(l->root, DataNodeId(kCsv));
  ExpectPipeline(l->graph);
  // Bare hex is the same digest.
  auto bare = service_->ForDataset(kCsv.substr(7), kDefaultMaxNodes);
  ASSERT_TRUE(bare.ok()) << bare.status();
  EXPECT_EQ(bare->graph.nodes().size(), l->graph.nodes().size());
}

TEST_F(LineageTest, AnyRunOfThePipelineGivesItsGraph) {
  for (const std::string& run : {parent_, sample_, training_, register_}) {
    auto l = service_->ForRun(run, kDefaultMaxNodes);
    ASSERT_TRUE(l.ok()) << l.status();
    EXPECT_EQ(l->root, RunNodeId(run));
    ExpectPipeline(l->graph);
  }
}

TEST_F(LineageTest, APlainRunHasItsDataAndVersions) {
  auto l = service_->ForRun(unrelated_, kDefaultMaxNodes);
  ASSERT_TRUE(l.ok()) << l.status();
  EXPECT_TRUE(HasEdge(l->graph, RunNodeId(unrelated_), DataNodeId(kOther), kConsumed));
  EXPECT_TRUE(HasEdge(l->graph, RunNodeId(unrelated_), VersionNodeId("m", 2), kRegisteredAs));
  EXPECT_EQ(l->graph.nodes().size(), 3u);
  auto d = service_->ForDataset(kOther, kDefaultMaxNodes);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_TRUE(d->graph.Has(VersionNodeId("m", 2)));
  EXPECT_FALSE(d->graph.Has(RunNodeId(parent_)));
}

TEST_F(LineageTest, TheGraphIsBoundedAndSaysSo) {
  auto l = service_->ForModelVersion("m", 1, 3);
  ASSERT_TRUE(l.ok()) << l.status();
  EXPECT_EQ(l->graph.nodes().size(), 3u);
  EXPECT_TRUE(l->graph.truncated());
  for (const Edge& e : l->graph.edges()) {
    EXPECT_TRUE(l->graph.Has(e.from) && l->graph.Has(e.to)) << e.from << " -> " << e.to;
  }
}

TEST_F(LineageTest, AVersionOfAnUnknownRunSaysTheRunIsMissing) {
  Version("m", "0123456789abcdef0123456789abcdef", {});
  auto l = service_->ForModelVersion("m", 3, kDefaultMaxNodes);
  ASSERT_TRUE(l.ok()) << l.status();
  const Node* run = l->graph.Find(RunNodeId("0123456789abcdef0123456789abcdef"));
  ASSERT_NE(run, nullptr);
  EXPECT_EQ(run->attrs.at("missing"), "true");
}

TEST_F(LineageTest, Errors) {
  EXPECT_TRUE(absl::IsNotFound(service_->ForModelVersion("m", 9, 10).status()));
  EXPECT_TRUE(absl::IsNotFound(service_->ForModelVersion("nope", 1, 10).status()));
  EXPECT_TRUE(absl::IsNotFound(service_->ForRun(std::string(32, 'f'), 10).status()));
  absl::Status unknown = service_->ForDataset("sha256:" + std::string(64, '0'), 10).status();
  EXPECT_TRUE(absl::IsNotFound(unknown)) << unknown;
  EXPECT_NE(unknown.message().find("No run consumed"), std::string_view::npos);
  EXPECT_TRUE(absl::IsInvalidArgument(service_->ForDataset("", 10).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(service_->ForDataset(std::string(300, 'x'), 10).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(service_->ForDataset("a\nb", 10).status()));
}

TEST_F(LineageTest, AWorkspaceSeesItsOwnVersionsAndRunsOnly) {
  const Scope team_a{"team-a", true};
  auto own = service_->ForModelVersion("m", 1, kDefaultMaxNodes, team_a);
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_EQ(TypeOf(own->graph, RunNodeId(team_run_)), kRun);
  EXPECT_TRUE(HasEdge(own->graph, RunNodeId(team_run_), VersionNodeId("m", 1), kRegisteredAs));
  // Its version naming default's run: the run is missing to team-a, and nothing else leaks.
  auto other = service_->ForModelVersion("m", 2, kDefaultMaxNodes, team_a);
  ASSERT_TRUE(other.ok()) << other.status();
  const Node* run = other->graph.Find(RunNodeId(training_));
  ASSERT_NE(run, nullptr);
  EXPECT_EQ(run->attrs.at("missing"), "true");
  EXPECT_FALSE(other->graph.Has(RunNodeId(parent_)));
  EXPECT_TRUE(absl::IsNotFound(service_->ForModelVersion("m", 3, 10, team_a).status()));

  auto from_run = service_->ForRun(team_run_, kDefaultMaxNodes, team_a);
  ASSERT_TRUE(from_run.ok()) << from_run.status();
  EXPECT_TRUE(from_run->graph.Has(VersionNodeId("m", 1)));
  EXPECT_EQ(from_run->graph.nodes().size(), 2u);
  // Default's run from team-a, and team-a's run from default: not found.
  EXPECT_TRUE(absl::IsNotFound(service_->ForRun(training_, 10, team_a).status()));
  const Scope in_default{"default", true};
  EXPECT_TRUE(absl::IsNotFound(service_->ForRun(team_run_, 10, in_default).status()));
  auto pipeline = service_->ForRun(parent_, kDefaultMaxNodes, in_default);
  ASSERT_TRUE(pipeline.ok()) << pipeline.status();
  ExpectPipeline(pipeline->graph);
  EXPECT_TRUE(absl::IsNotFound(service_->ForDataset(kCsv, 10, team_a).status()));
}

}  // namespace
}  // namespace ferry::lineage
