// TrackingService's queries for MLflow's UI routes and ArtifactService's access under a
// run's or a model version's artifact root, against SQLite and the file blob store.

#include <gtest/gtest.h>

#include "store/cas/file_artifact_store.h"
#include "tracking/artifact_service.h"
#include "tracking/testing/tracking_fixture.h"

namespace ferry::tracking {
namespace {

class UiQueriesTest : public testing::TrackingFixture {
 protected:
  void SetUp() override {
    TrackingFixture::SetUp();
    auto blobs = store::cas::FileArtifactStore::Create(tmp_.path() + "/artifacts");
    ASSERT_TRUE(blobs.ok()) << blobs.status();
    blobs_ = std::move(*blobs);
    artifacts_ = std::make_unique<ArtifactService>(*blobs_, *store_, *store_, SystemClock());
    auto exp = service_->CreateExperiment("ui", "", {});
    ASSERT_TRUE(exp.ok());
    exp_ = *exp;
    for (std::string* run : {&a_, &b_}) {
      CreateRunRequest r;
      r.experiment_id = exp_;
      auto created = service_->CreateRun(r);
      ASSERT_TRUE(created.ok());
      *run = created->info.run_id;
    }
    std::vector<Metric> points;
    for (int s = 0; s < 10; ++s) points.push_back({"loss", s * 1.0, 100 + s, s});
    ASSERT_TRUE(service_->LogBatch(a_, points, {}, {}).ok());
    ASSERT_TRUE(service_->LogBatch(b_, {{"loss", 1, 1, 20}}, {}, {}).ok());
  }
  std::string Message(const absl::Status& s) { return std::string(s.message()); }

  store::ArtifactStorePtr blobs_;
  std::unique_ptr<ArtifactService> artifacts_;
  std::string exp_, a_, b_;
};

TEST_F(UiQueriesTest, ChildRunsOfSomeParentsWithTheFilterAndOrder) {
  // a_ gets children c1 (rmse 3) and c2 (rmse 1), b_ gets c3 (rmse 2); c4 has no parent.
  std::vector<std::string> kids;
  for (const auto& [parent, rmse] :
       std::vector<std::pair<std::string, double>>{{a_, 3}, {a_, 1}, {b_, 2}, {"", 5}}) {
    CreateRunRequest r;
    r.experiment_id = exp_;
    if (!parent.empty()) r.tags = {{"mlflow.parentRunId", parent}};
    auto created = service_->CreateRun(r);
    ASSERT_TRUE(created.ok());
    kids.push_back(created->info.run_id);
    ASSERT_TRUE(service_->LogBatch(kids.back(), {{"rmse", rmse, 1, 0}}, {}, {}).ok());
  }
  SearchRunsRequest q;
  q.experiment_ids = {exp_};
  q.order_by = {"metrics.rmse ASC"};
  q.parent_run_ids = {a_, b_};
  auto ids = [&]() {
    std::vector<std::string> out;
    auto res = service_->SearchRuns(q);
    EXPECT_TRUE(res.ok()) << res.status();
    if (res.ok())
      for (const auto& r : res->items) out.push_back(r.info.run_id);
    return out;
  };
  EXPECT_EQ(ids(), (std::vector<std::string>{kids[1], kids[2], kids[0]}));
  q.filter = "metrics.rmse > 1.5";
  q.parent_run_ids = {a_};
  EXPECT_EQ(ids(), (std::vector<std::string>{kids[0]}));
  q.parent_run_ids = std::vector<std::string>(1001, a_);
  EXPECT_EQ(Message(service_->SearchRuns(q).status()),
            "runs/children: at most 1000 parent_run_ids, got 1001");
  // A filter cannot say it: MLflow's grammar has no IN for tags.
  q.parent_run_ids = {};
  q.filter = "tags.`mlflow.parentRunId` IN ('" + a_ + "')";
  EXPECT_TRUE(absl::IsInvalidArgument(service_->SearchRuns(q).status()));
}

TEST_F(UiQueriesTest, HistoryBulkLimits) {
  std::vector<std::string> many(101, a_);
  EXPECT_EQ(Message(service_->GetMetricHistoryBulk({}, "loss", {}).status()),
            "GetMetricHistoryBulk request must specify at least one run_id.");
  EXPECT_EQ(Message(service_->GetMetricHistoryBulk(many, "loss", {}).status()),
            "GetMetricHistoryBulk request cannot specify more than 100 run_ids. Received 101 "
            "run_ids.");
  EXPECT_EQ(Message(service_->GetMetricHistoryBulk({a_}, std::nullopt, {}).status()),
            "GetMetricHistoryBulk request must specify a metric_key.");
  auto all = service_->GetMetricHistoryBulk({a_, b_}, "loss", 100000);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 11u);
  // A negative max_results drops that many points from the end (SQLite's LIMIT, then [:n]).
  auto trimmed = service_->GetMetricHistoryBulk({a_, b_}, "loss", -3);
  ASSERT_TRUE(trimmed.ok());
  EXPECT_EQ(trimmed->size(), 8u);
  auto none = service_->GetMetricHistoryBulk({a_}, "loss", 0);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_F(UiQueriesTest, HistoryBulkIntervalFollowsRequestOrder) {
  MetricIntervalRequest r;
  r.run_ids = {b_, a_, b_};
  r.metric_key = "loss";
  r.max_results = 3;
  auto got = service_->GetMetricHistoryBulkInterval(r);
  ASSERT_TRUE(got.ok()) << got.status();
  // Steps 0..9 and 20: 11 steps over [0, 20] sampled to 0, 3, 7 and the last, 20, plus the
  // runs' ends 0, 9 and 20. b (step 20) comes first and twice.
  std::vector<std::string> order;
  std::vector<int64_t> a_steps;
  for (const auto& m : *got) {
    order.push_back(m.run_id);
    if (m.run_id == a_) a_steps.push_back(m.metric.step);
  }
  EXPECT_EQ(order.front(), b_);
  EXPECT_EQ(order.back(), b_);
  EXPECT_EQ(a_steps, (std::vector<int64_t>{0, 3, 7, 9}));
  r.start_step = 5;
  EXPECT_EQ(Message(service_->GetMetricHistoryBulkInterval(r).status()),
            "If either start step or end step are specified, both must be specified.");
  r.end_step = 4;
  EXPECT_EQ(Message(service_->GetMetricHistoryBulkInterval(r).status()),
            "end_step must be greater than start_step. Found start_step=5 and end_step=4.");
  r.max_results = 0;
  EXPECT_EQ(Message(service_->GetMetricHistoryBulkInterval(r).status()),
            "max_results must be between 1 and 2500. See the API docs for more information "
            "about request parameters.");
}

TEST_F(UiQueriesTest, SearchDatasetsLimits) {
  EXPECT_EQ(Message(service_->SearchDatasets({}).status()),
            "SearchDatasets request must specify at least one experiment_id.");
  EXPECT_EQ(Message(service_->SearchDatasets(std::vector<std::string>(21, "1")).status()),
            "SearchDatasets request cannot specify more than 20 experiment_ids. Received 21 "
            "experiment_ids.");
  auto none = service_->SearchDatasets({"abc"});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_F(UiQueriesTest, ArtifactsUnderProxiedRoots) {
  const std::string rel = exp_ + "/" + a_ + "/artifacts";
  auto path = artifacts_->ResolveUnderRoot("mlflow-artifacts:/" + rel, "model/MLmodel");
  ASSERT_TRUE(path.ok()) << path.status();
  EXPECT_EQ(*path, rel + "/model/MLmodel");
  auto upload = artifacts_->BeginUpload(*path);
  ASSERT_TRUE(upload.ok()) << upload.status();
  ASSERT_TRUE((*upload)->Append("flavors: {}").ok());
  ASSERT_TRUE((*upload)->Commit().ok());
  auto root = artifacts_->RunArtifactUri(a_);
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(*root, "mlflow-artifacts:/" + rel);
  for (const std::string& uri : {"mlflow-artifacts:/" + rel, "mlflow-artifacts://host:5000/" + rel,
                                 "http://host/api/2.0/mlflow-artifacts/artifacts/" + rel}) {
    auto d = artifacts_->OpenUnderRoot(uri, "model/MLmodel");
    ASSERT_TRUE(d.ok()) << uri << ": " << d.status();
    EXPECT_EQ(d->reader->size(), 11);
    EXPECT_TRUE(artifacts_->OpenUnderRoot(uri + "/model", "MLmodel").ok()) << uri;
  }
  EXPECT_EQ(Message(artifacts_->OpenUnderRoot("s3://bucket/" + rel, "model/MLmodel").status()),
            "The artifact root is not served by this server's artifact proxy (mlflow-artifacts:)");
  EXPECT_EQ(Message(artifacts_->OpenUnderRoot("mlflow-artifacts:/" + rel, "../x").status()),
            "Invalid path");
  EXPECT_TRUE(
      absl::IsNotFound(artifacts_->OpenUnderRoot("mlflow-artifacts:/" + rel, "x").status()));
  EXPECT_EQ(Message(artifacts_->RunArtifactUri("nope").status()), "Run with id=nope not found");
}

}  // namespace
}  // namespace ferry::tracking
