#include "training/train_job.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "app/families.h"
#include "app/store_factory.h"
#include "common/clock.h"
#include "common/fs.h"
#include "common/sha256.h"
#include "tracking/artifact_service.h"
#include "tracking/tracking_service.h"
#include "training/tracking_run_recorder.h"

namespace ferry::training {
namespace {

// Records what the job asked of the tracking side.
class FakeRecorder : public RunRecorder {
 public:
  absl::StatusOr<std::string> StartRun(const std::string& experiment, const std::string& run_name,
                                       const std::vector<RunTag>& tags) override {
    ++started;
    start_tags = tags;
    this->experiment = experiment;
    this->run_name = run_name;
    return std::string("run-1");
  }
  absl::Status LogBatch(const std::vector<Metric>& m, const std::vector<Param>&,
                        const std::vector<RunTag>&) override {
    metrics += m.size();
    return absl::OkStatus();
  }
  absl::Status UploadArtifact(const std::string& rel_path, const std::string&) override {
    artifacts.push_back(rel_path);
    return absl::OkStatus();
  }
  absl::Status LogInputs(const std::vector<DatasetInput>& in) override {
    inputs.insert(inputs.end(), in.begin(), in.end());
    return absl::OkStatus();
  }
  absl::Status EndRun(bool ok) override {
    ended.push_back(ok);
    return absl::OkStatus();
  }

  int started = 0;
  std::string experiment, run_name;
  size_t metrics = 0;
  std::vector<std::string> artifacts;
  std::vector<bool> ended;
  std::vector<RunTag> start_tags;
  std::vector<DatasetInput> inputs;
};

class TrainJobTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = TempDir::Create("ferry-train-job-test");
    ASSERT_TRUE(dir.ok());
    dir_ = std::make_unique<TempDir>(*std::move(dir));
    std::string csv = "x,y\n";
    for (int i = 0; i < 60; ++i)
      csv += std::to_string(i) + "," + std::to_string(i * 0.5 + 1.25) + "\n";
    data_ = JoinPath(dir_->path(), "points.csv");
    ASSERT_TRUE(WriteFileAtomic(data_, csv).ok());
    app::RegisterFamilies(families_);
    hooks_.recorder = &recorder_;
    hooks_.register_package = [this](const std::string& dir, const std::string& run_id) {
      registered_ = dir + "@" + run_id;
      return absl::OkStatus();
    };
  }

  TrainJob Job(const std::string& family, const std::string& target) {
    TrainJob job;
    job.family = family;
    job.data_path = data_;
    job.target = target;
    job.model_name = "points";
    job.run_name = family + "-points";
    job.experiment = "Default";
    job.output = JoinPath(dir_->path(), "points.oci");
    return job;
  }

  std::unique_ptr<TempDir> dir_;
  std::string data_;
  runtime::FamilyRegistry families_;
  FakeRecorder recorder_;
  TrainHooks hooks_;
  std::string registered_;
};

TEST_F(TrainJobTest, TrainsRecordsBuildsAndRegisters) {
  absl::Status s = RunTrainJob(Job("linear", "y"), families_, hooks_);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(recorder_.started, 1);
  EXPECT_EQ(recorder_.run_name, "linear-points");
  EXPECT_GT(recorder_.metrics, 0u);
  ASSERT_FALSE(recorder_.artifacts.empty());
  EXPECT_EQ(recorder_.artifacts[0].rfind("model/", 0), 0u);
  EXPECT_EQ(recorder_.ended, std::vector<bool>{true});
  EXPECT_TRUE(PathExists(JoinPath(dir_->path(), "points.oci/index.json")));
  EXPECT_EQ(registered_, JoinPath(dir_->path(), "points.oci") + "@run-1");
}

// Lineage: the data is the run's dataset input (by digest) and the job's tags (a pipeline
// step's links) reach the run.
TEST_F(TrainJobTest, RecordsTheDataAsDatasetInputAndTheJobsTags) {
  TrainJob job = Job("linear", "y");
  job.tags = {{"ferry.pipeline.run", "r1"}, {"ferry.step", "train"}};
  ASSERT_TRUE(RunTrainJob(job, families_, hooks_).ok());
  ASSERT_EQ(recorder_.inputs.size(), 1u);
  const Dataset& d = recorder_.inputs[0].dataset;
  EXPECT_EQ(d.name, "points.csv");
  EXPECT_EQ(d.source, data_);
  auto digest = ReadFile(data_);
  ASSERT_TRUE(digest.ok());
  EXPECT_EQ(d.digest, Sha256Hex(*digest).substr(0, 32));  // MLflow allows 36 characters
  EXPECT_EQ(recorder_.inputs[0].tags.at(1).value, "sha256:" + Sha256Hex(*digest));
  EXPECT_NE(std::find(recorder_.start_tags.begin(), recorder_.start_tags.end(),
                      RunTag{"ferry.pipeline.run", "r1"}),
            recorder_.start_tags.end());
  EXPECT_NE(std::find(recorder_.start_tags.begin(), recorder_.start_tags.end(),
                      RunTag{"ferry.step", "train"}),
            recorder_.start_tags.end());
}

TEST_F(TrainJobTest, UsageErrorsComeBeforeAnyRun) {
  for (const auto& [family, target, words] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"bogus", "y", "unknown family"},
           {"linear", "nope", "\"nope\" not found"},
           {"linear", "", "needs --target"},
           {"logistic", "y", "continuous"}}) {
    absl::Status s = RunTrainJob(Job(family, target), families_, hooks_);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << family << " " << target;
    EXPECT_NE(s.message().find(words), std::string_view::npos) << s;
  }
  EXPECT_EQ(recorder_.started, 0);  // no run, so no FAILED run left behind
  EXPECT_TRUE(registered_.empty());
}

// What a server does: the same job, its run recorded in-process through the services.
TEST_F(TrainJobTest, RunsInProcessAgainstTheTrackingService) {
  auto backend = app::OpenMetadataBackend("sqlite:///" + JoinPath(dir_->path(), "ferry.db"));
  ASSERT_TRUE(backend.ok()) << backend.status();
  auto blobs = app::OpenArtifactStore(JoinPath(dir_->path(), "artifacts"));
  ASSERT_TRUE(blobs.ok()) << blobs.status();
  tracking::TrackingService tracking(**backend, SystemClock(), SystemRandom());
  tracking::ArtifactService artifacts(**blobs, **backend, **backend, SystemClock());
  std::unique_ptr<RunRecorder> recorder =
      NewTrackingRunRecorder(tracking, artifacts, SystemClock());
  TrainHooks hooks;
  hooks.recorder = recorder.get();
  std::string run_id;
  hooks.register_package = [&](const std::string&, const std::string& id) {
    run_id = id;
    return absl::OkStatus();
  };
  TrainJob job = Job("linear", "y");
  job.experiment = "in-process";
  ASSERT_TRUE(RunTrainJob(job, families_, hooks).ok());
  auto run = tracking.GetRun(run_id);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->info.status, RunStatus::kFinished);
  EXPECT_FALSE(run->data.metrics.empty());
  auto listing = artifacts.ListDir(run->info.experiment_id + "/" + run_id + "/artifacts/model");
  ASSERT_TRUE(listing.ok()) << listing.status();
  EXPECT_FALSE(listing->empty());
}

TEST(FreshOutputDir, SkipsLayoutsEarlierRunsLeft) {
  auto dir = TempDir::Create("ferry-train-job-test");
  ASSERT_TRUE(dir.ok());
  const std::string name = JoinPath(dir->path(), "bc");
  EXPECT_EQ(FreshOutputDir(name), name + ".oci");
  ASSERT_TRUE(MakeDirs(name + ".oci").ok());
  EXPECT_EQ(FreshOutputDir(name), name + "-2.oci");
  ASSERT_TRUE(MakeDirs(name + "-2.oci").ok());
  EXPECT_EQ(FreshOutputDir(name), name + "-3.oci");
}

}  // namespace
}  // namespace ferry::training
