#include "serving/dynamic_batcher.h"

#include <gtest/gtest.h>

#include <thread>

#include "serving/serving_test_util.h"

namespace ferry::serving {
namespace {

using testing::Collector;
using testing::FakeClock;
using testing::FakePredictor;
using testing::Rows;

// Submits a request whose result lands in `out` tagged with `tag`.
struct Tagged {
  int tag;
  BatchResult result;
};

class BatcherTest : public ::testing::Test {
 protected:
  std::shared_ptr<FakePredictor::Shared> shared_ = std::make_shared<FakePredictor::Shared>();
  FakePredictor predictor_{shared_};
  FakeClock clock_;
  VersionMetrics metrics_{"m", "1", 8};
  Collector<Tagged> results_;

  void Submit(DynamicBatcher& b, int tag, int64_t rows = 1, int64_t width = 2,
              int64_t deadline_ms = 0) {
    auto cb = results_.Callback();
    b.Submit(Rows(tag * 10, rows, width), deadline_ms, [cb, tag](BatchResult r) {
      cb(Tagged{tag, std::move(r)});
    });
  }
};

// Row r of request `tag` has x0 = tag*10 + r, so its sum output is tag*10 + r.
void ExpectOwnRows(const Tagged& t, int64_t rows) {
  ASSERT_TRUE(t.result.status.ok()) << t.result.status;
  ASSERT_EQ(t.result.outputs.size(), 2u);
  const Tensor& sum = t.result.outputs[0];
  const Tensor& label = t.result.outputs[1];
  ASSERT_EQ(sum.shape, (std::vector<int64_t>{rows}));
  ASSERT_EQ(label.strings.size(), static_cast<size_t>(rows));
  for (int64_t r = 0; r < rows; ++r) {
    EXPECT_EQ(sum.As<double>()[r], t.tag * 10 + r);
    EXPECT_EQ(label.strings[r], "r" + std::to_string(t.tag * 10 + r));
  }
  ASSERT_EQ(t.result.inputs.size(), 1u);  // handed back for the prediction log
  EXPECT_EQ(t.result.inputs[0].As<double>()[0], t.tag * 10);
}

TEST_F(BatcherTest, OffRunsInlineOnTheCallersThread) {
  DynamicBatcher b(predictor_, BatchingOptions{}, clock_, &metrics_);
  b.Start();
  std::thread::id ran_on;
  bool called = false;
  b.Submit(Rows(5, 3), 0, [&](BatchResult r) {
    called = true;
    ran_on = std::this_thread::get_id();
    EXPECT_TRUE(r.status.ok());
  });
  EXPECT_TRUE(called);  // before Submit returned
  EXPECT_EQ(ran_on, std::this_thread::get_id());
  EXPECT_EQ(shared_->batch_rows, (std::vector<int64_t>{3}));
  EXPECT_EQ(metrics_.batch_size.Count(), 0u);  // no batching, no batch-size samples
}

TEST_F(BatcherTest, OffLoopRunsEachRequestAloneOnAWorker) {
  BatchingOptions o;
  o.max_batch_size = 0;
  o.off_loop = true;
  DynamicBatcher b(predictor_, o, clock_, &metrics_);
  for (int i = 0; i < 6; ++i) Submit(b, i, i % 2 == 0 ? 1 : 3);
  b.Start();
  std::thread::id worker;
  for (const auto& t : results_.Wait(6)) ExpectOwnRows(t, t.tag % 2 == 0 ? 1 : 3);
  b.Submit(Rows(0, 1), 0, [&](BatchResult) { worker = std::this_thread::get_id(); });
  b.Drain();
  EXPECT_NE(worker, std::this_thread::get_id());
  EXPECT_EQ(shared_->batch_rows, (std::vector<int64_t>{1, 3, 1, 3, 1, 3, 1}));
  EXPECT_EQ(metrics_.batch_size.Count(), 0u);
}

TEST(ResolveBatching, AutoTakesTheModelsChoiceAndWorkerPoolsNeverRunInline) {
  const runtime::ExecutionHint in_process, pool_batched{2, 64}, pool_unbatched{3, 0};
  BatchingOptions automatic;  // the default: kAutoBatch
  BatchingOptions r = ResolveBatching(automatic, in_process);
  EXPECT_EQ(r.max_batch_size, 0);
  EXPECT_FALSE(r.Queued());
  r = ResolveBatching(automatic, pool_batched);
  EXPECT_EQ(r.max_batch_size, 64);
  EXPECT_EQ(r.workers, 2);
  EXPECT_TRUE(r.Enabled());
  r = ResolveBatching(automatic, pool_unbatched);
  EXPECT_FALSE(r.Enabled());
  EXPECT_TRUE(r.Queued());
  EXPECT_EQ(r.workers, 3);
  BatchingOptions off;  // the operator's "0" holds, but a pool still runs off the loop
  off.max_batch_size = 0;
  r = ResolveBatching(off, pool_batched);
  EXPECT_FALSE(r.Enabled());
  EXPECT_TRUE(r.Queued());
  BatchingOptions asked;  // the operator's size and extra workers hold
  asked.max_batch_size = 16;
  asked.workers = 4;
  r = ResolveBatching(asked, pool_batched);
  EXPECT_EQ(r.max_batch_size, 16);
  EXPECT_EQ(r.workers, 4);
  EXPECT_TRUE(ValidateBatchingOptions(automatic).ok());
  BatchingOptions bad;
  bad.max_batch_size = -2;
  EXPECT_FALSE(ValidateBatchingOptions(bad).ok());
}

TEST_F(BatcherTest, QueuedRequestsAreBatchedUpToMaxAndMappedBack) {
  BatchingOptions o;
  o.max_batch_size = 8;
  DynamicBatcher b(predictor_, o, clock_, &metrics_);
  for (int i = 0; i < 64; ++i) Submit(b, i);
  EXPECT_EQ(b.QueueDepth(), 64u);
  EXPECT_EQ(metrics_.queue_depth.load(), 64);
  b.Start();
  auto all = results_.Wait(64);
  for (const auto& t : all) ExpectOwnRows(t, 1);
  EXPECT_EQ(shared_->batch_rows, std::vector<int64_t>(8, 8));
  EXPECT_EQ(metrics_.batch_size.Count(), 8u);
  EXPECT_EQ(metrics_.queue_depth.load(), 0);
}

TEST_F(BatcherTest, BatchCountIsCeilOfRequestsOverMax) {
  BatchingOptions o;
  o.max_batch_size = 5;
  o.workers = 2;
  DynamicBatcher b(predictor_, o, clock_, &metrics_);
  for (int i = 0; i < 64; ++i) Submit(b, i);
  b.Start();
  for (const auto& t : results_.Wait(64)) ExpectOwnRows(t, 1);
  b.Drain();
  EXPECT_EQ(shared_->batch_rows.size(), 13u);  // ceil(64 / 5)
  int64_t total = 0;
  for (int64_t r : shared_->batch_rows) total += r;
  EXPECT_EQ(total, 64);
}

TEST_F(BatcherTest, MultiRowRequestsAreSplitByTheirRowCounts) {
  BatchingOptions o;
  o.max_batch_size = 8;
  DynamicBatcher b(predictor_, o, clock_, &metrics_);
  const int64_t rows[] = {1, 2, 3, 2, 4};  // 1+2+3+2 = 8, then 4
  for (int i = 0; i < 5; ++i) Submit(b, i, rows[i]);
  b.Start();
  for (const auto& t : results_.Wait(5)) ExpectOwnRows(t, rows[t.tag]);
  EXPECT_EQ(shared_->batch_rows, (std::vector<int64_t>{8, 4}));
}

TEST_F(BatcherTest, DifferentNonBatchShapesNeverShareABatch) {
  BatchingOptions o;
  o.max_batch_size = 16;
  DynamicBatcher b(predictor_, o, clock_, &metrics_);
  for (int i = 0; i < 10; ++i) Submit(b, i, 1, i % 2 == 0 ? 2 : 3);
  b.Start();
  for (const auto& t : results_.Wait(10)) ExpectOwnRows(t, 1);
  EXPECT_EQ(shared_->batch_rows, (std::vector<int64_t>{5, 5}));
  EXPECT_EQ(shared_->batch_widths, (std::vector<int64_t>{2, 3}));
}

TEST_F(BatcherTest, QueueDelayWaitsForAFullBatch) {
  BatchingOptions o;
  o.max_batch_size = 4;
  o.max_queue_delay_us = 600'000'000;  // far longer than the test: only a full batch ends it
  DynamicBatcher b(predictor_, o, clock_, &metrics_);
  b.Start();
  for (int i = 0; i < 4; ++i) Submit(b, i);
  for (const auto& t : results_.Wait(4)) ExpectOwnRows(t, 1);
  EXPECT_EQ(shared_->batch_rows, (std::vector<int64_t>{4}));
}

TEST_F(BatcherTest, DrainDoesNotWaitOutTheQueueDelay) {
  BatchingOptions o;
  o.max_batch_size = 4;
  o.max_queue_delay_us = 600'000'000;
  DynamicBatcher b(predictor_, o, clock_, &metrics_);
  b.Start();
  Submit(b, 0);
  Submit(b, 1);
  b.Drain();
  for (const auto& t : results_.Wait(2)) ExpectOwnRows(t, 1);
  int64_t total = 0;
  for (int64_t r : shared_->batch_rows) total += r;
  EXPECT_EQ(total, 2);
}

TEST_F(BatcherTest, FullQueueAnswersUnavailableAtOnce) {
  BatchingOptions o;
  o.max_batch_size = 4;
  o.max_queue_size = 2;
  DynamicBatcher b(predictor_, o, clock_, &metrics_);
  Submit(b, 0);
  Submit(b, 1);
  Submit(b, 2);
  auto first = results_.Wait(1);
  EXPECT_EQ(first[0].tag, 2);
  EXPECT_EQ(first[0].result.status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(first[0].result.status.message(), "queue full (2 requests)");
  b.Start();
  auto all = results_.Wait(3);
  for (size_t i = 1; i < 3; ++i) ExpectOwnRows(all[i], 1);
}

TEST_F(BatcherTest, RequestsPastTheirDeadlineAreNotExecuted) {
  BatchingOptions o;
  o.max_batch_size = 4;
  DynamicBatcher b(predictor_, o, clock_, &metrics_);
  Submit(b, 0, 1, 2, /*deadline_ms=*/1500);  // clock starts at 1000 ms
  Submit(b, 1, 1, 2, /*deadline_ms=*/0);
  Submit(b, 2, 1, 2, /*deadline_ms=*/9000);
  clock_.AdvanceMillis(1000);  // now 2000 ms: the first has expired
  b.Start();
  auto all = results_.Wait(3);
  for (const auto& t : all) {
    if (t.tag == 0) {
      EXPECT_EQ(t.result.status.code(), absl::StatusCode::kDeadlineExceeded);
      EXPECT_EQ(t.result.queue_us, 1000000);
    } else {
      ExpectOwnRows(t, 1);
      EXPECT_EQ(t.result.queue_us, 1000000);
    }
  }
  EXPECT_EQ(shared_->batch_rows, (std::vector<int64_t>{2}));
}

TEST_F(BatcherTest, InlineRequestPastDeadlineIsNotExecuted) {
  DynamicBatcher b(predictor_, BatchingOptions{}, clock_, &metrics_);
  Submit(b, 0, 1, 2, /*deadline_ms=*/999);
  EXPECT_EQ(results_.Wait(1)[0].result.status.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_TRUE(shared_->batch_rows.empty());
}

TEST_F(BatcherTest, ModelErrorReachesEveryRequestOfTheBatch) {
  BatchingOptions o;
  o.max_batch_size = 4;
  DynamicBatcher b(predictor_, o, clock_, &metrics_);
  shared_->fail = true;
  for (int i = 0; i < 3; ++i) Submit(b, i);
  b.Start();
  for (const auto& t : results_.Wait(3)) {
    EXPECT_EQ(t.result.status.code(), absl::StatusCode::kInternal);
  }
}

TEST_F(BatcherTest, DrainRunsQueuedRequestsAndLaterSubmitsRunInline) {
  BatchingOptions o;
  o.max_batch_size = 4;
  DynamicBatcher b(predictor_, o, clock_, &metrics_);
  for (int i = 0; i < 6; ++i) Submit(b, i);
  b.Drain();  // never started: the draining thread runs them
  EXPECT_EQ(results_.Size(), 6u);
  Submit(b, 7);
  EXPECT_EQ(results_.Size(), 7u);  // inline, already done
  for (const auto& t : results_.Wait(7)) ExpectOwnRows(t, 1);
}

TEST_F(BatcherTest, QueueTimeAndComputeTimeComeFromTheClock) {
  BatchingOptions o;
  o.max_batch_size = 4;
  DynamicBatcher b(predictor_, o, clock_, &metrics_);
  Submit(b, 1);
  clock_.AdvanceMillis(3);
  b.Drain();
  auto r = results_.Wait(1)[0].result;
  EXPECT_EQ(r.queue_us, 3000);
  EXPECT_EQ(r.compute_us, 0);  // the fake clock did not move during Predict
}

TEST(BatchHelpers, ConcatAndSplitBytesAndFixedSize) {
  std::vector<Tensor> a = {MakeBytesTensor("s", {1, 2}, {"a", "b"}),
                           MakeInt64Tensor("i", {1}, {7})};
  std::vector<Tensor> b = {MakeBytesTensor("s", {2, 2}, {"c", "d", "e", "f"}),
                           MakeInt64Tensor("i", {2}, {8, 9})};
  ASSERT_TRUE(BatchCompatible(a, b));
  auto joined = ConcatBatch({&a, &b});
  EXPECT_EQ(joined[0].shape, (std::vector<int64_t>{3, 2}));
  EXPECT_EQ(joined[0].strings, (std::vector<std::string>{"a", "b", "c", "d", "e", "f"}));
  EXPECT_EQ(joined[1].shape, (std::vector<int64_t>{3}));
  EXPECT_EQ(joined[1].As<int64_t>()[2], 9);
  auto split = SplitBatch(joined, {1, 2});
  ASSERT_TRUE(split.ok()) << split.status();
  EXPECT_EQ((*split)[0][0].strings, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ((*split)[1][0].strings, (std::vector<std::string>{"c", "d", "e", "f"}));
  EXPECT_EQ((*split)[1][1].shape, (std::vector<int64_t>{2}));
  EXPECT_EQ((*split)[1][1].As<int64_t>()[0], 8);
  EXPECT_EQ((*split)[0][1].data, a[1].data);
}

TEST(BatchHelpers, IncompatibleShapesAndBadOutputRows) {
  std::vector<Tensor> a = {MakeFp64Tensor("x", {1, 2}, {1, 2})};
  std::vector<Tensor> b = {MakeFp64Tensor("x", {1, 3}, {1, 2, 3})};
  std::vector<Tensor> scalar = {MakeFp64Tensor("x", {}, {1})};
  EXPECT_FALSE(BatchCompatible(a, b));
  EXPECT_FALSE(BatchCompatible(scalar, scalar));
  auto split = SplitBatch({MakeFp64Tensor("y", {2}, {1, 2})}, {1, 2});
  EXPECT_EQ(split.status().code(), absl::StatusCode::kInternal);
}

}  // namespace
}  // namespace ferry::serving
