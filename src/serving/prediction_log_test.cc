#include "serving/prediction_log.h"

#include <dirent.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>

#include "common/fs.h"
#include "common/json.h"
#include "common/testing/test_dir.h"
#include "serving/serving_test_util.h"

namespace ferry::serving {
namespace {

PredictionRecord Record(int i) {
  PredictionRecord r;
  r.deployment = "fraud";
  r.model_name = "fraud-model";
  r.model_version = "3";
  r.request_id = "req-" + std::to_string(i);
  r.role = "shadow";
  r.time_unix_ms = 1700000000123;
  r.latency_us = 42;
  r.inputs.push_back(MakeFp64Tensor("x", {1, 2}, {0.5, static_cast<double>(i)}));
  r.inputs.push_back(MakeInt64Tensor("k", {2}, {-7, 9}));
  r.outputs.push_back(MakeBytesTensor("label", {1}, {"yes \"quoted\""}));
  return r;
}

// Keeps every line; optionally blocks in Write until released.
class MemorySink : public PredictionSink {
 public:
  struct State {
    std::mutex mu;
    std::condition_variable cv;
    std::string text;
    bool block = false;
    bool entered = false;
  };
  explicit MemorySink(std::shared_ptr<State> s) : s_(std::move(s)) {}
  absl::Status Write(std::string_view lines) override {
    std::unique_lock<std::mutex> lock(s_->mu);
    s_->entered = true;
    s_->cv.notify_all();
    s_->cv.wait(lock, [&] { return !s_->block; });
    s_->text.append(lines);
    return absl::OkStatus();
  }

 private:
  std::shared_ptr<State> s_;
};

std::vector<std::string> ListDir(const std::string& dir) {
  std::vector<std::string> names;
  DIR* d = opendir(dir.c_str());
  while (dirent* e = d ? readdir(d) : nullptr) {
    if (e->d_name[0] != '.') names.push_back(e->d_name);
  }
  if (d) closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

TEST(PredictionLog, WritesJsonLinesToFilesAndFlushesOnDestruction) {
  ferry::testing::TestDir tmp("ferry-predlog");
  const std::string dir = JoinPath(tmp.path(), "log");
  testing::FakeClock clock;
  SeededRandom random(1);
  {
    PredictionLogOptions o;
    o.directory = dir;
    auto log = PredictionLog::Create(o, clock, random);
    ASSERT_TRUE(log.ok()) << log.status();
    for (int i = 0; i < 3; ++i) (*log)->OnPrediction(Record(i));
  }
  auto files = ListDir(dir);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0], "predictions-" + std::to_string(clock.NowMillis()) + ".jsonl");
  auto text = ReadFile(JoinPath(dir, files[0]));
  ASSERT_TRUE(text.ok());
  std::vector<std::string> lines;
  for (size_t start = 0, nl; (nl = text->find('\n', start)) != std::string::npos; start = nl + 1) {
    lines.push_back(text->substr(start, nl - start));
  }
  ASSERT_EQ(lines.size(), 3u);
  auto v = ParseJson(lines[2]);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->Find("deployment")->as_string(), "fraud");
  EXPECT_EQ(v->Find("model_name")->as_string(), "fraud-model");
  EXPECT_EQ(v->Find("model_version")->as_string(), "3");
  EXPECT_EQ(v->Find("request_id")->as_string(), "req-2");
  EXPECT_EQ(v->Find("role")->as_string(), "shadow");
  EXPECT_EQ(v->Find("time")->as_int(), 1700000000123);
  EXPECT_EQ(v->Find("latency_us")->as_int(), 42);
  const auto& inputs = v->Find("inputs")->items();
  ASSERT_EQ(inputs.size(), 2u);
  EXPECT_EQ(inputs[0].Find("name")->as_string(), "x");
  EXPECT_EQ(inputs[0].Find("datatype")->as_string(), "FP64");
  EXPECT_EQ(inputs[0].Find("shape")->items()[1].as_int(), 2);
  EXPECT_EQ(inputs[0].Find("data")->items()[1].as_double(), 2.0);
  EXPECT_EQ(inputs[1].Find("data")->items()[0].as_int(), -7);
  const auto& out = v->Find("outputs")->items();
  EXPECT_EQ(out[0].Find("datatype")->as_string(), "BYTES");
  EXPECT_EQ(out[0].Find("data")->items()[0].as_string(), "yes \"quoted\"");
}

TEST(PredictionLog, FileSinkRotatesBySize) {
  ferry::testing::TestDir tmp("ferry-predlog");
  const std::string dir = tmp.path();
  testing::FakeClock clock;
  auto sink = NewFilePredictionSink(dir, 100, clock);
  ASSERT_TRUE(sink.ok());
  const std::string chunk(39, 'a');
  for (int i = 0; i < 3; ++i) ASSERT_TRUE((*sink)->Write(chunk + "\n").ok());
  sink->reset();
  auto files = ListDir(dir);
  // 40 + 40 fit in 100 bytes; the third starts a new file, named one ms later.
  const int64_t ms = clock.NowMillis();
  ASSERT_EQ(files, (std::vector<std::string>{"predictions-" + std::to_string(ms) + ".jsonl",
                                             "predictions-" + std::to_string(ms + 1) + ".jsonl"}));
  EXPECT_EQ(ReadFile(JoinPath(dir, files[0]))->size(), 80u);
  EXPECT_EQ(ReadFile(JoinPath(dir, files[1]))->size(), 40u);
}

// Logs n records at `rate` and returns how many lines were written.
int SampledLines(double rate, int n, uint64_t seed) {
  auto state = std::make_shared<MemorySink::State>();
  SeededRandom random(seed);
  {
    PredictionLogOptions o;
    o.sample_rate = rate;
    o.queue_size = n;
    PredictionLog log(o, std::make_unique<MemorySink>(state), random);
    for (int i = 0; i < n; ++i) log.OnPrediction(Record(i));
  }
  return std::count(state->text.begin(), state->text.end(), '\n');
}

TEST(PredictionLog, SamplingRate) {
  EXPECT_EQ(SampledLines(0, 1000, 7), 0);
  EXPECT_EQ(SampledLines(1, 1000, 7), 1000);
  // Binomial(1000, 0.5): mean 500, sd 15.8; the range is more than 4 sd each side.
  int half = SampledLines(0.5, 1000, 7);
  EXPECT_GE(half, 430);
  EXPECT_LE(half, 570);
}

TEST(PredictionLog, ASlowSinkMakesOnPredictionDropNotBlock) {
  auto state = std::make_shared<MemorySink::State>();
  state->block = true;
  SeededRandom random(1);
  {
    PredictionLogOptions o;
    o.queue_size = 4;
    PredictionLog log(o, std::make_unique<MemorySink>(state), random);
    log.OnPrediction(Record(0));
    {
      // The writer took record 0 and is stuck in the sink.
      std::unique_lock<std::mutex> lock(state->mu);
      state->cv.wait(lock, [&] { return state->entered; });
    }
    for (int i = 1; i <= 10; ++i) log.OnPrediction(Record(i));  // returns although stuck
    EXPECT_EQ(log.dropped(), 6u);                               // 4 queued, 6 dropped
    std::string metrics;
    log.RenderMetrics(&metrics);
    EXPECT_NE(metrics.find("ferry_prediction_log_dropped_total 6\n"), std::string::npos);
    {
      std::lock_guard<std::mutex> lock(state->mu);
      state->block = false;
    }
    state->cv.notify_all();
  }  // the destructor flushes the 4 queued records
  EXPECT_EQ(std::count(state->text.begin(), state->text.end(), '\n'), 5);
  EXPECT_NE(state->text.find("\"req-4\""), std::string::npos);
  EXPECT_EQ(state->text.find("\"req-5\""), std::string::npos);
}

}  // namespace
}  // namespace ferry::serving
