#include "serving/model_manager.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "serving/serving_service.h"
#include "serving/serving_test_util.h"

namespace ferry::serving {
namespace {

using testing::Fleet;
using testing::Ref;
using testing::Rows;

class ManagerTest : public ::testing::Test {
 protected:
  Fleet fleet_;
  testing::FakeClock clock_;
  ServingMetrics metrics_;
  ModelManager manager_{fleet_.Loader(), clock_, metrics_};
};

TEST_F(ManagerTest, SetPrimaryLoadsWarmsUpAndServes) {
  ASSERT_TRUE(manager_.SetPrimary("fraud", Ref("1")).ok());
  DeploymentPtr d = manager_.Find("fraud");
  ASSERT_NE(d, nullptr);
  LoadedVersionPtr p = d->primary();
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->version(), "1");
  EXPECT_EQ(p->state(), ModelState::kReady);
  EXPECT_EQ(p->platform(), "ferry_fake");
  // The warm-up ran one row, free dims set to 1.
  auto shared = fleet_.Get("1");
  EXPECT_EQ(shared->batch_rows, (std::vector<int64_t>{1}));
  EXPECT_EQ(shared->batch_widths, (std::vector<int64_t>{1}));
  EXPECT_EQ(manager_.Names(), (std::vector<std::string>{"fraud"}));
}

TEST(WarmupInputs, ZerosForNumericEmptyStringsForBytes) {
  ModelSchema schema;
  schema.inputs.push_back(TensorSpec{"x", DataType::kFp32, {-1, 3}, {}, false});
  schema.inputs.push_back(TensorSpec{"s", DataType::kBytes, {-1}, {}, false});
  auto in = WarmupInputs(schema);
  ASSERT_EQ(in.size(), 2u);
  EXPECT_EQ(in[0].shape, (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(in[0].data, std::string(12, '\0'));
  EXPECT_EQ(in[1].strings, (std::vector<std::string>{""}));
  EXPECT_TRUE(CheckInputs(schema, in).ok());
}

TEST_F(ManagerTest, TheLoaderMayNameTheFamily) {
  ServingMetrics metrics;
  auto shared = std::make_shared<testing::FakePredictor::Shared>();
  ModelManager manager(
      [&](const VersionRef&) -> absl::StatusOr<LoadedModel> {
        return LoadedModel(std::make_unique<testing::FakePredictor>(shared), "logistic");
      },
      clock_, metrics);
  ASSERT_TRUE(manager.SetPrimary("fraud", VersionRef{"fraud", "1", "pkg", ""}).ok());
  EXPECT_EQ(manager.Find("fraud")->primary()->platform(), "ferry_logistic");
}

TEST_F(ManagerTest, AFailedLoadServesNothingAndSaysWhy) {
  absl::Status s = manager_.SetPrimary("fraud", Ref("1", "missing"));
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(s.message(), "loading version 1 of \"fraud\": no package at missing");
  EXPECT_EQ(fleet_.Live(), 0);
  DeploymentPtr d = manager_.Find("fraud");
  ASSERT_NE(d, nullptr);  // listed, with no version and the reason
  EXPECT_EQ(d->primary(), nullptr);
  std::optional<LoadFailure> failed = d->last_failure();
  ASSERT_TRUE(failed.has_value());
  EXPECT_EQ(failed->arm, Arm::kPrimary);
  EXPECT_EQ(failed->version, "1");
  EXPECT_EQ(failed->message, s.message());
  EXPECT_EQ(failed->at_ms, clock_.NowMillis());
  SeededRandom random(1);
  absl::StatusOr<Route> route = d->Pick(random);
  EXPECT_EQ(route.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(route.status().message(),
            "model \"fraud\" has no version loaded: loading version 1 of \"fraud\": no package "
            "at missing");
  ASSERT_TRUE(manager_.SetPrimary("fraud", Ref("2")).ok());
  EXPECT_FALSE(d->last_failure().has_value());  // cleared by the load that worked
  EXPECT_EQ(d->primary()->version(), "2");
}

TEST_F(ManagerTest, FailedLoadsAreKeptPerArmUntilThatArmLoads) {
  ASSERT_TRUE(manager_.SetPrimary("fraud", Ref("1")).ok());
  EXPECT_FALSE(manager_.SetPrimary("fraud", Ref("2", "broken")).ok());
  DeploymentPtr d = manager_.Find("fraud");
  EXPECT_EQ(d->primary()->version(), "1");  // still serving
  EXPECT_EQ(d->last_failure()->version, "2");
  EXPECT_FALSE(manager_.SetChallenger("fraud", Ref("3", "missing"), {}).ok());
  EXPECT_EQ(d->last_failure()->arm, Arm::kChallenger);  // the newest
  ASSERT_TRUE(manager_.ClearChallenger("fraud").ok());
  EXPECT_EQ(d->last_failure()->arm, Arm::kPrimary);  // the primary's is still unresolved
  EXPECT_EQ(d->last_failure()->version, "2");
  ASSERT_TRUE(manager_.SetPrimary("fraud", Ref("4")).ok());
  EXPECT_FALSE(d->last_failure().has_value());
}

TEST_F(ManagerTest, FailedWarmupLeavesTheOldPrimaryServing) {
  ASSERT_TRUE(manager_.SetPrimary("fraud", Ref("1")).ok());
  absl::Status s = manager_.SetPrimary("fraud", Ref("2", "broken"));
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
  EXPECT_NE(s.message().find("warm-up failed: model exploded"), absl::string_view::npos);
  EXPECT_EQ(manager_.Find("fraud")->primary()->version(), "1");
  EXPECT_EQ(fleet_.Get("2")->live.load(), 0);  // the broken one was destroyed
}

TEST_F(ManagerTest, SwapRetiresAndDestroysTheOldVersion) {
  manager_.set_unload_wait(std::chrono::milliseconds(0));  // `held` is on this thread
  ASSERT_TRUE(manager_.SetPrimary("fraud", Ref("1")).ok());
  LoadedVersionPtr held = manager_.Find("fraud")->primary();
  ASSERT_TRUE(manager_.SetPrimary("fraud", Ref("2")).ok());
  // A request still holding v1 keeps it alive and can still run on it.
  EXPECT_EQ(held->state(), ModelState::kUnloading);
  EXPECT_EQ(fleet_.Get("1")->live.load(), 1);
  bool ok = false;
  held->batcher().Submit(Rows(1, 1), 0, [&](BatchResult r) { ok = r.status.ok(); });
  EXPECT_TRUE(ok);
  auto series = held->metrics_ptr();
  EXPECT_EQ(series->instances_in_state[static_cast<int>(ModelState::kUnloading)].load(), 1);
  held.reset();
  EXPECT_EQ(fleet_.Get("1")->live.load(), 0);
  EXPECT_EQ(series->instances_in_state[static_cast<int>(ModelState::kUnloading)].load(), 0);
  EXPECT_EQ(series->instances_in_state[static_cast<int>(ModelState::kReady)].load(), 0);
  EXPECT_EQ(fleet_.Live(), 1);
}

// A request still running on the replaced version (on an event loop) must not be the one that
// destroys it: a Python version's destructor waits for its worker processes to exit.
TEST_F(ManagerTest, TheSwappingThreadDestroysTheReplacedVersion) {
  ASSERT_TRUE(manager_.SetPrimary("fraud", Ref("1")).ok());
  LoadedVersionPtr held = manager_.Find("fraud")->primary();  // a request running on version 1
  std::thread::id swapper;
  std::thread swap([&] {
    swapper = std::this_thread::get_id();
    EXPECT_TRUE(manager_.SetPrimary("fraud", Ref("2")).ok());
  });
  while (held->state() != ModelState::kUnloading) std::this_thread::yield();
  held.reset();  // the request ends
  swap.join();
  auto shared = fleet_.Get("1");
  EXPECT_EQ(shared->destroyed.load(), 1);
  std::lock_guard<std::mutex> lock(shared->mu);
  EXPECT_EQ(shared->destroyed_on, swapper);
}

TEST_F(ManagerTest, ReloadingTheSameVersionKeepsOneReadyInstance) {
  ASSERT_TRUE(manager_.SetPrimary("fraud", Ref("1")).ok());
  ASSERT_TRUE(manager_.SetPrimary("fraud", Ref("1")).ok());
  auto series = manager_.Find("fraud")->primary()->metrics_ptr();
  EXPECT_EQ(series->instances_in_state[static_cast<int>(ModelState::kReady)].load(), 1);
  EXPECT_EQ(series->instances_in_state[static_cast<int>(ModelState::kUnloading)].load(), 0);
  EXPECT_EQ(fleet_.Live(), 1);
}

TEST_F(ManagerTest, InvalidBatchingOptionsAreRejected) {
  BatchingOptions b;
  b.max_batch_size = 8;
  b.max_queue_size = 0;
  absl::Status s = manager_.SetPrimary("fraud", Ref("1"), b);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "max_queue_size must be >= 1");
  EXPECT_EQ(fleet_.Live(), 0);
}

// With the default (kAutoBatch) options a version runs as its model asks: an in-process model
// inline, a worker-pool model queued with one batch worker per process, batched at its size.
TEST_F(ManagerTest, AutoBatchingFollowsTheModel) {
  fleet_.Get("2")->hint = {3, 16};
  ASSERT_TRUE(manager_.SetPrimary("native", Ref("1")).ok());
  ASSERT_TRUE(manager_.SetPrimary("python", Ref("2")).ok());
  const BatchingOptions& native = manager_.Find("native")->primary()->batcher().options();
  EXPECT_FALSE(native.Queued());
  const BatchingOptions& python = manager_.Find("python")->primary()->batcher().options();
  EXPECT_EQ(python.max_batch_size, 16);
  EXPECT_EQ(python.workers, 3);
  EXPECT_TRUE(python.Enabled());
}

TEST_F(ManagerTest, ChallengerNeedsADeploymentAndAValidPercent) {
  EXPECT_EQ(manager_.SetChallenger("fraud", Ref("2"), {}).code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(manager_.SetPrimary("fraud", Ref("1")).ok());
  ChallengerPolicy bad{ChallengerMode::kCanary, 101};
  EXPECT_EQ(manager_.SetChallenger("fraud", Ref("2"), bad).code(),
            absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(manager_.SetChallenger("fraud", Ref("2"), {ChallengerMode::kCanary, 10}).ok());
  EXPECT_EQ(manager_.Find("fraud")->Find("2")->version(), "2");
  ASSERT_TRUE(manager_.SetChallengerPolicy("fraud", {ChallengerMode::kShadow, 0}).ok());
  EXPECT_EQ(manager_.Find("fraud")->policy().mode, ChallengerMode::kShadow);
  ASSERT_TRUE(manager_.ClearChallenger("fraud").ok());
  EXPECT_EQ(manager_.Find("fraud")->challenger(), nullptr);
  EXPECT_EQ(fleet_.Get("2")->live.load(), 0);
  EXPECT_EQ(manager_.SetChallengerPolicy("fraud", {}).code(), absl::StatusCode::kNotFound);
}

TEST_F(ManagerTest, RemoveUnloadsEverything) {
  ASSERT_TRUE(manager_.SetPrimary("fraud", Ref("1")).ok());
  ASSERT_TRUE(manager_.SetChallenger("fraud", Ref("2"), {}).ok());
  ASSERT_TRUE(manager_.Remove("fraud").ok());
  EXPECT_EQ(manager_.Find("fraud"), nullptr);
  EXPECT_EQ(fleet_.Live(), 0);
  EXPECT_EQ(manager_.Remove("fraud").code(), absl::StatusCode::kNotFound);
}

// The requirement: no request fails while versions are swapped under load, and every answer
// comes from a version that was primary at some point.
void HammerWhileSwapping(BatchingOptions batching) {
  Fleet fleet;
  SeededRandom random(1);
  ServingService service(fleet.Loader(), SystemClock(), random);
  ASSERT_TRUE(service.manager().SetPrimary("fraud", Ref("0"), batching).ok());
  constexpr int kSwaps = 30;
  std::atomic<bool> stop{false};
  std::atomic<int64_t> submitted{0}, ok{0}, failed{0};
  std::mutex mu;
  std::condition_variable cv;
  std::set<std::string> answered_by;
  auto hammer = [&] {
    while (!stop.load()) {
      {
        // At most about 128 requests in flight, so the queue stays small.
        std::unique_lock<std::mutex> lock(mu);
        cv.wait(lock, [&] { return submitted - ok - failed < 128; });
      }
      InferRequest req;
      req.inputs = Rows(3, 2);
      submitted++;
      service.Infer("fraud", "", std::move(req), [&](InferResult r) {
        std::lock_guard<std::mutex> lock(mu);
        if (r.status.ok() && r.outputs.size() == 2 && r.outputs[0].As<double>()[1] == 4) {
          ok++;
        } else {
          failed++;
          ADD_FAILURE() << r.status;
        }
        answered_by.insert(r.model_version);
        cv.notify_all();
      });
    }
  };
  std::thread t1(hammer), t2(hammer);
  int64_t answered_at_last_swap = 0;
  for (int v = 1; v <= kSwaps; ++v) {
    {
      // 50 requests complete after each swap (and so on each version), so every swap
      // overlaps traffic however the threads are scheduled.
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [&] { return ok + failed >= answered_at_last_swap + 50; });
    }
    ASSERT_TRUE(service.manager().SetPrimary("fraud", Ref(std::to_string(v)), batching).ok());
    std::lock_guard<std::mutex> lock(mu);
    answered_at_last_swap = ok + failed;
  }
  stop = true;
  t1.join();
  t2.join();
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return ok + failed == submitted; });
  }
  EXPECT_EQ(failed.load(), 0);
  EXPECT_GT(ok.load(), 0);
  for (const std::string& v : answered_by) {
    int n = std::stoi(v);
    EXPECT_TRUE(n >= 0 && n <= kSwaps) << v;
  }
  // Versions 0..29 each answered at least the 50 requests that followed their swap.
  EXPECT_GE(answered_by.size(), static_cast<size_t>(kSwaps));
  EXPECT_EQ(fleet.Live(), 1);  // every replaced version was destroyed
}

TEST(SwapUnderLoad, InlineNoRequestFails) { HammerWhileSwapping(BatchingOptions{}); }

TEST(SwapUnderLoad, BatchedNoRequestFails) {
  BatchingOptions b;
  b.max_batch_size = 8;
  b.max_queue_size = 1024;  // above the hammers' 128 requests in flight
  b.workers = 2;
  HammerWhileSwapping(b);
}

}  // namespace
}  // namespace ferry::serving
