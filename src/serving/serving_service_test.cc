#include "serving/serving_service.h"

#include <gtest/gtest.h>

#include "serving/serving_test_util.h"

namespace ferry::serving {
namespace {

using testing::Fleet;
using testing::Ref;
using testing::Rows;

class ServiceTest : public ::testing::Test {
 protected:
  Fleet fleet_;
  testing::FakeClock clock_;
  SeededRandom random_{42};
  testing::RecordingObserver observer_;
  ServingService service_{fleet_.Loader(), clock_, random_, &observer_};

  // Runs one request (inline batching: the result is there when Infer returns).
  InferResult Run(std::string_view version, std::vector<Tensor> inputs,
                  std::vector<std::string> outputs = {}, std::string request_id = "") {
    InferRequest req;
    req.request_id = std::move(request_id);
    req.inputs = std::move(inputs);
    req.requested_outputs = std::move(outputs);
    InferResult result;
    result.status = absl::UnknownError("callback not called");
    service_.Infer("fraud", version, std::move(req), [&](InferResult r) { result = std::move(r); });
    return result;
  }
};

TEST_F(ServiceTest, AVersionWhosePredictorCannotAnswerIsNotReady) {
  ASSERT_TRUE(service_.manager().SetPrimary("fraud", Ref("1")).ok());
  EXPECT_TRUE(service_.Ready());
  fleet_.Get("1")->down = true;  // e.g. its Python worker died and is being replaced
  EXPECT_EQ(service_.Describe("fraud", "")->state, ModelState::kUnavailable);
  EXPECT_FALSE(service_.Ready());
  fleet_.Get("1")->down = false;
  EXPECT_EQ(service_.Describe("fraud", "")->state, ModelState::kReady);
  EXPECT_TRUE(service_.Ready());
}

TEST_F(ServiceTest, LiveReadyModelsDescribe) {
  EXPECT_TRUE(service_.Live());
  EXPECT_TRUE(service_.Ready());  // no deployments: nothing is waiting to load
  EXPECT_EQ(service_.Describe("fraud", "").status().code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(service_.manager().SetPrimary("fraud", Ref("1")).ok());
  ASSERT_TRUE(service_.manager().SetPrimary("aaa", Ref("1")).ok());
  ASSERT_TRUE(service_.manager().SetChallenger("fraud", Ref("2"), {}).ok());
  EXPECT_TRUE(service_.Ready());
  EXPECT_EQ(service_.Models(), (std::vector<std::string>{"aaa", "fraud"}));
  auto info = service_.Describe("fraud", "");
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->name, "fraud");
  EXPECT_EQ(info->versions, (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(info->platform, "ferry_fake");
  EXPECT_EQ(info->state, ModelState::kReady);
  ASSERT_EQ(info->schema.inputs.size(), 1u);
  EXPECT_EQ(info->schema.inputs[0].name, "x");
  EXPECT_TRUE(service_.Describe("fraud", "2").ok());  // the challenger is found too
  auto missing = service_.Describe("fraud", "9");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(), "model \"fraud\" has no version \"9\" loaded");
}

TEST_F(ServiceTest, EachLoadedArmCountsItsOwnRequestsAndErrors) {
  ASSERT_TRUE(service_.manager().SetPrimary("fraud", Ref("1")).ok());
  EXPECT_TRUE(Run("", Rows(2, 3)).status.ok());
  EXPECT_FALSE(Run("", {}).status.ok());  // refused inputs count as an error of the arm
  ArmSnapshot first = service_.manager().Find("fraud")->primary()->arm()->Snapshot();
  EXPECT_EQ(first.requests, 2);
  EXPECT_EQ(first.errors, 1);
  // A swap (even back to the same version string) starts a fresh arm; the Prometheus
  // series of version 1 keep counting.
  ASSERT_TRUE(service_.manager().SetPrimary("fraud", Ref("2")).ok());
  ASSERT_TRUE(service_.manager().SetPrimary("fraud", Ref("1")).ok());
  EXPECT_TRUE(Run("", Rows(1, 3)).status.ok());
  ArmSnapshot fresh = service_.manager().Find("fraud")->primary()->arm()->Snapshot();
  EXPECT_EQ(fresh.requests, 1);
  EXPECT_EQ(fresh.errors, 0);
  // Requests naming the version are not the routed traffic a canary is judged on.
  EXPECT_TRUE(Run("1", Rows(1, 3)).status.ok());
  EXPECT_FALSE(Run("1", {}).status.ok());
  ArmSnapshot direct = service_.manager().Find("fraud")->primary()->arm()->Snapshot();
  EXPECT_EQ(direct.requests, 1);
  EXPECT_EQ(direct.errors, 0);
}

TEST_F(ServiceTest, InferReturnsOutputsAndRecordsThePrediction) {
  ASSERT_TRUE(service_.manager().SetPrimary("fraud", Ref("1")).ok());
  InferResult r = Run("", Rows(5, 2), {}, "req-7");
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(r.model_name, "fraud");
  EXPECT_EQ(r.model_version, "1");
  ASSERT_EQ(r.outputs.size(), 2u);
  EXPECT_EQ(r.outputs[0].name, "sum");
  EXPECT_EQ(r.outputs[0].As<double>()[1], 6);
  EXPECT_EQ(r.outputs[1].strings, (std::vector<std::string>{"r5", "r6"}));
  ASSERT_EQ(observer_.records.size(), 1u);
  const PredictionRecord& rec = observer_.records[0];
  EXPECT_EQ(rec.deployment, "fraud");
  EXPECT_EQ(rec.model_name, "fraud");
  EXPECT_EQ(rec.model_version, "1");
  EXPECT_EQ(rec.request_id, "req-7");
  EXPECT_EQ(rec.role, "primary");
  EXPECT_EQ(rec.inputs.size(), 1u);
  EXPECT_EQ(rec.outputs.size(), 2u);
}

TEST_F(ServiceTest, RequestedOutputsFilterAndUnknownOnesAreNamed) {
  ASSERT_TRUE(service_.manager().SetPrimary("fraud", Ref("1")).ok());
  InferResult r = Run("", Rows(5, 1), {"label"});
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.outputs.size(), 1u);
  EXPECT_EQ(r.outputs[0].name, "label");
  r = Run("", Rows(5, 1), {"label", "sum", "label"});
  ASSERT_EQ(r.outputs.size(), 3u);
  EXPECT_EQ(r.outputs[0].strings, r.outputs[2].strings);
  EXPECT_EQ(r.outputs[1].name, "sum");
  r = Run("", Rows(5, 1), {"label", "nope"});
  EXPECT_EQ(r.status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status.message(), "unknown output \"nope\"");
  EXPECT_EQ(fleet_.Get("1")->batch_rows.size(), 3u);  // warm-up + two requests: not the bad one
}

TEST_F(ServiceTest, SchemaViolationsAreRejectedBeforeQueueing) {
  ASSERT_TRUE(service_.manager().SetPrimary("fraud", Ref("1")).ok());
  std::vector<Tensor> wrong = {MakeFp64Tensor("z", {1, 2}, {1, 2})};
  InferResult r = Run("", std::move(wrong));
  EXPECT_EQ(r.status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status.message().find("input"), absl::string_view::npos);
  EXPECT_EQ(fleet_.Get("1")->batch_rows.size(), 1u);  // only the warm-up ran
  EXPECT_TRUE(observer_.records.empty());
}

TEST_F(ServiceTest, UnknownModelAndVersion) {
  InferResult r = Run("", Rows(1, 1));
  EXPECT_EQ(r.status.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(r.status.message(), "model \"fraud\" not found");
  ASSERT_TRUE(service_.manager().SetPrimary("fraud", Ref("1")).ok());
  EXPECT_EQ(Run("7", Rows(1, 1)).status.code(), absl::StatusCode::kNotFound);
}

TEST_F(ServiceTest, CanarySendsItsShareToTheChallenger) {
  ASSERT_TRUE(service_.manager().SetPrimary("fraud", Ref("1")).ok());
  VersionRef challenger = Ref("2");
  challenger.name = "fraud_challenger";  // registered under its own name
  ASSERT_TRUE(
      service_.manager().SetChallenger("fraud", challenger, {ChallengerMode::kCanary, 30}).ok());
  int canary = 0;
  for (int i = 0; i < 1000; ++i) {
    InferResult r = Run("", Rows(1, 1));
    ASSERT_TRUE(r.status.ok());
    canary += r.model_version == "2";
    // Each answer names the model and version that produced it.
    EXPECT_EQ(r.model_name, r.model_version == "2" ? "fraud_challenger" : "fraud");
  }
  // Binomial(1000, 0.3): mean 300, sd 14.5; this range is more than 4 sd wide each side.
  EXPECT_GE(canary, 240);
  EXPECT_LE(canary, 360);
  int canary_records = 0;
  for (const auto& rec : observer_.records) canary_records += rec.role == "canary";
  EXPECT_EQ(canary_records, canary);

  ASSERT_TRUE(service_.manager().SetChallengerPolicy("fraud", {ChallengerMode::kCanary, 0}).ok());
  for (int i = 0; i < 50; ++i) EXPECT_EQ(Run("", Rows(1, 1)).model_version, "1");
  ASSERT_TRUE(service_.manager().SetChallengerPolicy("fraud", {ChallengerMode::kCanary, 100}).ok());
  for (int i = 0; i < 50; ++i) EXPECT_EQ(Run("", Rows(1, 1)).model_version, "2");
}

TEST_F(ServiceTest, ShadowIsRecordedWithTheSameRequestIdAndNeverReturned) {
  ASSERT_TRUE(service_.manager().SetPrimary("fraud", Ref("1")).ok());
  ASSERT_TRUE(
      service_.manager().SetChallenger("fraud", Ref("2"), {ChallengerMode::kShadow, 0}).ok());
  InferResult r = Run("", Rows(5, 1), {"sum"}, "req-9");
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.model_version, "1");
  ASSERT_EQ(observer_.records.size(), 2u);
  EXPECT_EQ(observer_.records[0].role, "primary");
  EXPECT_EQ(observer_.records[1].role, "shadow");
  EXPECT_EQ(observer_.records[1].model_version, "2");
  EXPECT_EQ(observer_.records[1].request_id, "req-9");
  EXPECT_EQ(observer_.records[1].outputs.size(), 2u);  // all outputs, for comparison
  EXPECT_EQ(observer_.records[1].outputs[0].As<double>()[0], 5);

  // A failing shadow never reaches the client.
  fleet_.Get("2")->fail = true;
  r = Run("", Rows(5, 1), {}, "req-10");
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(r.model_version, "1");
  EXPECT_EQ(observer_.records.size(), 3u);
  std::string metrics = service_.RenderMetrics();
  EXPECT_NE(metrics.find("ferry_inference_errors_total{model=\"fraud\",version=\"2\",code="
                         "\"INTERNAL\"} 1\n"),
            std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("ferry_inference_requests_total{model=\"fraud\",version=\"2\",role="
                         "\"shadow\"} 2\n"),
            std::string::npos);
}

TEST_F(ServiceTest, ExplicitVersionBypassesCanaryAndShadow) {
  ASSERT_TRUE(service_.manager().SetPrimary("fraud", Ref("1")).ok());
  ASSERT_TRUE(
      service_.manager().SetChallenger("fraud", Ref("2"), {ChallengerMode::kShadow, 0}).ok());
  InferResult r = Run("2", Rows(1, 1));
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.model_version, "2");
  r = Run("1", Rows(1, 1));
  EXPECT_EQ(r.model_version, "1");
  ASSERT_EQ(observer_.records.size(), 2u);  // no shadow copies
  EXPECT_EQ(observer_.records[0].role, "direct");
}

TEST(InSchemaOrder, ReordersByName) {
  ModelSchema schema;
  schema.inputs.push_back(TensorSpec{"a", DataType::kFp64, {-1}, {}, false});
  schema.inputs.push_back(TensorSpec{"b", DataType::kFp64, {-1}, {}, false});
  std::vector<Tensor> in = {MakeFp64Tensor("b", {1}, {2}), MakeFp64Tensor("a", {1}, {1})};
  auto out = InSchemaOrder(schema, std::move(in));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].name, "a");
  EXPECT_EQ(out[1].name, "b");
}

}  // namespace
}  // namespace ferry::serving
