#include "serving/serving_metrics.h"

#include <gtest/gtest.h>

#include <cmath>

#include "common/testing/exposition_parser.h"
#include "serving/serving_service.h"
#include "serving/serving_test_util.h"

namespace ferry::serving {
namespace {

using ferry::testing::CheckHistograms;
using ferry::testing::Find;
using ferry::testing::Parse;
using ferry::testing::ParseSample;
using ferry::testing::Sample;

TEST(Histogram, BucketsAreCumulativeWithSecondsBounds) {
  ServingMetrics metrics;
  auto m = metrics.ForVersion("fraud", "1", 8);
  for (int64_t us : {30, 100, 2000000, 20000000}) m->request_us.Observe(us);
  for (int64_t rows : {1, 3, 8, 8}) m->batch_size.Observe(rows);
  auto s = Parse(metrics.Render());
  const std::string l = R"(model="fraud",version="1")";
  const std::string name = "ferry_inference_request_seconds";
  EXPECT_EQ(Find(s, name + "_bucket", l + R"(,le="5e-05")"), 1);
  EXPECT_EQ(Find(s, name + "_bucket", l + R"(,le="1e-04")"), 2);
  EXPECT_EQ(Find(s, name + "_bucket", l + R"(,le="1")"), 2);
  EXPECT_EQ(Find(s, name + "_bucket", l + R"(,le="2.5")"), 3);
  EXPECT_EQ(Find(s, name + "_bucket", l + R"(,le="10")"), 3);
  EXPECT_EQ(Find(s, name + "_bucket", l + R"(,le="+Inf")"), 4);
  EXPECT_EQ(Find(s, name + "_count", l), 4);
  EXPECT_DOUBLE_EQ(Find(s, name + "_sum", l), 22.00013);
  EXPECT_EQ(Find(s, "ferry_batch_size_bucket", l + R"(,le="1")"), 1);
  EXPECT_EQ(Find(s, "ferry_batch_size_bucket", l + R"(,le="4")"), 2);
  EXPECT_EQ(Find(s, "ferry_batch_size_bucket", l + R"(,le="8")"), 4);
  EXPECT_EQ(Find(s, "ferry_batch_size_sum", l), 20);
  CheckHistograms(s);
}

TEST(Histogram, BatchSizeBucketsArePowersOfTwoUpToMax) {
  EXPECT_EQ(BatchSizeBuckets(0), (std::vector<int64_t>{1}));
  EXPECT_EQ(BatchSizeBuckets(8), (std::vector<int64_t>{1, 2, 4, 8}));
  EXPECT_EQ(BatchSizeBuckets(10), (std::vector<int64_t>{1, 2, 4, 8, 16}));
}

TEST(ServingMetrics, CountsMatchAKnownSequenceOfRequests) {
  testing::Fleet fleet;
  testing::FakeClock clock;
  SeededRandom random(3);
  ServingService service(fleet.Loader(), clock, random);
  ASSERT_TRUE(service.manager().SetPrimary("fraud", testing::Ref("1")).ok());
  ASSERT_TRUE(service.manager().SetPrimary("we\"ird", testing::Ref("3")).ok());
  auto run = [&](std::string model, std::string version, std::vector<Tensor> inputs) {
    InferRequest req;
    req.inputs = std::move(inputs);
    service.Infer(model, version, std::move(req), [](InferResult) {});
  };
  for (int i = 0; i < 5; ++i) run("fraud", "", testing::Rows(1, 1));
  run("fraud", "1", testing::Rows(1, 1));
  run("fraud", "", {});                  // missing input
  run("nope", "", testing::Rows(1, 1));  // unknown model: not counted
  run("we\"ird", "", testing::Rows(1, 1));
  fleet.Get("1")->fail = true;
  run("fraud", "", testing::Rows(1, 1));
  service.RecordSerialize("fraud", 70);
  service.RecordSerialize("nope", 70);  // no series for unknown names

  auto s = Parse(service.RenderMetrics());
  const std::string l = R"(model="fraud",version="1")";
  EXPECT_EQ(Find(s, "ferry_inference_requests_total", l + R"(,role="primary")"), 7);
  EXPECT_EQ(Find(s, "ferry_inference_requests_total", l + R"(,role="direct")"), 1);
  EXPECT_EQ(Find(s, "ferry_inference_errors_total", l + R"(,code="INVALID_ARGUMENT")"), 1);
  EXPECT_EQ(Find(s, "ferry_inference_errors_total", l + R"(,code="INTERNAL")"), 1);
  EXPECT_EQ(
      Find(s, "ferry_inference_requests_total", R"(model="we\"ird",version="3",role="primary")"),
      1);
  // Requests that reached the model: 5 + 1 + 1 failing.
  EXPECT_EQ(Find(s, "ferry_inference_request_seconds_count", l), 7);
  EXPECT_EQ(Find(s, "ferry_inference_queue_seconds_count", l), 7);
  EXPECT_EQ(Find(s, "ferry_inference_compute_seconds_count", l), 6);
  EXPECT_EQ(Find(s, "ferry_inference_serialize_seconds_count", R"(model="fraud")"), 1);
  EXPECT_EQ(Find(s, "ferry_queue_depth", l), 0);
  EXPECT_EQ(Find(s, "ferry_model_loaded", l + R"(,state="READY")"), 1);
  for (const auto& x : s) EXPECT_EQ(x.labels.find("nope"), std::string::npos) << x.labels;
  CheckHistograms(s);

  // An unloaded version leaves ferry_model_loaded; its counters stay.
  ASSERT_TRUE(service.manager().Remove("fraud").ok());
  s = Parse(service.RenderMetrics());
  for (const auto& x : s) {
    if (x.name == "ferry_model_loaded") {
      EXPECT_EQ(x.labels.find("fraud"), std::string::npos);
    }
  }
  EXPECT_EQ(Find(s, "ferry_inference_requests_total", l + R"(,role="primary")"), 7);
}

// A version served by a worker pool shows its live workers, restarts and phase timers; the
// counters keep what an unloaded instance counted, and in-process versions show none.
TEST(ServingMetrics, WorkerPoolsPerVersionSurviveAReload) {
  testing::Fleet fleet;
  testing::FakeClock clock;
  SeededRandom random(3);
  ServingService service(fleet.Loader(), clock, random);
  runtime::WorkerPoolStats stats;
  stats.live_workers = 2;
  stats.workers = 2;
  stats.restarts = 3;
  stats.queue_us = 1500000;
  stats.ipc_us = 250000;
  stats.worker_us = 4000000;
  fleet.Get("7")->pool = stats;
  fleet.Get("7")->hint = {2, 0};
  ASSERT_TRUE(service.manager().SetPrimary("py", testing::Ref("7")).ok());
  ASSERT_TRUE(service.manager().SetPrimary("native", testing::Ref("1")).ok());
  const std::string l = R"(model="py",version="7")";
  auto s = Parse(service.RenderMetrics());
  EXPECT_EQ(Find(s, "ferry_python_workers", l), 2);
  EXPECT_EQ(Find(s, "ferry_python_worker_restarts_total", l), 3);
  EXPECT_EQ(Find(s, "ferry_python_seconds_total", l + R"(,phase="queue")"), 1.5);
  EXPECT_EQ(Find(s, "ferry_python_seconds_total", l + R"(,phase="ipc")"), 0.25);
  EXPECT_EQ(Find(s, "ferry_python_seconds_total", l + R"(,phase="python")"), 4);
  for (const auto& x : s) {
    if (x.name.rfind("ferry_python", 0) == 0) {
      EXPECT_EQ(x.labels.find("native"), std::string::npos);
    }
  }

  // Reloaded (both instances report the same counts here): the old instance's counts stay in
  // the sums, its workers no longer count as live.
  ASSERT_TRUE(service.manager().SetPrimary("py", testing::Ref("7")).ok());
  s = Parse(service.RenderMetrics());
  EXPECT_EQ(Find(s, "ferry_python_workers", l), 2);
  EXPECT_EQ(Find(s, "ferry_python_worker_restarts_total", l), 6);
  EXPECT_EQ(Find(s, "ferry_python_seconds_total", l + R"(,phase="python")"), 8);
  ASSERT_TRUE(service.manager().Remove("py").ok());
  s = Parse(service.RenderMetrics());
  EXPECT_EQ(Find(s, "ferry_python_workers", l), 0);
  EXPECT_EQ(Find(s, "ferry_python_worker_restarts_total", l), 6);
}

TEST(ExpositionParser, RejectsMalformedLines) {
  Sample s;
  EXPECT_TRUE(ParseSample(R"(a_b{x="1",y="q\"z"} 2.5)", &s));
  EXPECT_EQ(s.labels, R"(x="1",y="q\"z")");
  EXPECT_TRUE(ParseSample("a 1", &s));
  for (const char* bad : {R"(a{x="1} 1)", "a 1 2", R"(a{x=1} 1)", "a{} ", "1a 1", "a x"}) {
    EXPECT_FALSE(ParseSample(bad, &s)) << bad;
  }
}

TEST(ServingMetrics, EscapesLabelValues) {
  EXPECT_EQ(EscapeLabelValue("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
}

}  // namespace
}  // namespace ferry::serving
