#pragma once
// Fakes shared by the serving tests: a Predictor that records its batches, the fake clock and
// seeded random of common/testing, and a collector that waits for N callbacks. Test-only.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/testing/fake_clock.h"
#include "core/model_schema.h"
#include "core/tensor.h"
#include "runtime/predictor.h"
#include "serving/deployment.h"
#include "serving/prediction_observer.h"

namespace ferry::serving::testing {

// Input "x" FP64 [-1, -1]; outputs "sum" FP64 [-1] (row sums) and "label" BYTES [-1]
// ("r<row sum>"). Records the rows and width of every batch it runs.
class FakePredictor : public runtime::Predictor {
 public:
  struct Shared {
    std::mutex mu;
    std::condition_variable cv;
    std::vector<int64_t> batch_rows;
    std::vector<int64_t> batch_widths;
    std::atomic<int> live{0};
    std::atomic<int> destroyed{0};
    std::atomic<bool> fail{false};
    std::atomic<bool> down{false};                 // Ready() says no worker is alive
    bool gate_open = true;                         // Predict waits while false
    runtime::ExecutionHint hint;                   // what Execution() says
    std::optional<runtime::WorkerPoolStats> pool;  // what PoolStats() says (under mu)
    std::thread::id destroyed_on;  // guarded by mu: the thread that ran the destructor
    void Open() {
      {
        std::lock_guard<std::mutex> lock(mu);
        gate_open = true;
      }
      cv.notify_all();
    }
  };

  explicit FakePredictor(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {
    shared_->live++;
    schema_.inputs.push_back(TensorSpec{"x", DataType::kFp64, {-1, -1}, {}, false});
    schema_.outputs.push_back(TensorSpec{"sum", DataType::kFp64, {-1}, {}, false});
    schema_.outputs.push_back(TensorSpec{"label", DataType::kBytes, {-1}, {}, false});
  }
  ~FakePredictor() override {
    {
      std::lock_guard<std::mutex> lock(shared_->mu);
      shared_->destroyed_on = std::this_thread::get_id();
    }
    shared_->live--;
    shared_->destroyed++;
  }

  const ModelSchema& schema() const override { return schema_; }
  absl::Status Ready() const override {
    return shared_->down ? absl::UnavailableError("no live worker") : absl::OkStatus();
  }

  runtime::ExecutionHint Execution() const override { return shared_->hint; }
  std::optional<runtime::WorkerPoolStats> PoolStats() const override {
    std::lock_guard<std::mutex> lock(shared_->mu);
    return shared_->pool;
  }

  absl::Status Predict(const std::vector<Tensor>& inputs,
                       std::vector<Tensor>& outputs) const override {
    const Tensor& x = inputs.at(0);
    {
      std::unique_lock<std::mutex> lock(shared_->mu);
      shared_->cv.wait(lock, [&] { return shared_->gate_open; });
      shared_->batch_rows.push_back(x.shape[0]);
      shared_->batch_widths.push_back(x.shape[1]);
    }
    if (shared_->fail) return absl::InternalError("model exploded");
    std::vector<double> sums(x.shape[0], 0.0);
    std::vector<std::string> labels;
    for (int64_t r = 0; r < x.shape[0]; ++r) {
      for (int64_t c = 0; c < x.shape[1]; ++c) sums[r] += x.As<double>()[r * x.shape[1] + c];
      labels.push_back("r" + std::to_string(static_cast<int64_t>(sums[r])));
    }
    outputs.clear();
    outputs.push_back(MakeFp64Tensor("sum", {x.shape[0]}, sums));
    outputs.push_back(MakeBytesTensor("label", {x.shape[0]}, labels));
    return absl::OkStatus();
  }

 private:
  std::shared_ptr<Shared> shared_;
  ModelSchema schema_;
};

// An input "x" of `rows` rows of `width` values, row r filled with base + r.
inline std::vector<Tensor> Rows(double base, int64_t rows, int64_t width = 2) {
  std::vector<double> v;
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < width; ++c) v.push_back(c == 0 ? base + r : 0);
  }
  std::vector<Tensor> inputs;
  inputs.push_back(MakeFp64Tensor("x", {rows, width}, v));
  return inputs;
}

// The tree's one fake clock and seeded random (common/testing/fake_clock.h).
using ferry::SeededRandom;
using ferry::testing::FakeClock;

// Collects callback results; Wait(n) blocks until n have arrived.
template <typename T>
class Collector {
 public:
  std::function<void(T)> Callback() {
    return [this](T v) {
      std::lock_guard<std::mutex> lock(mu_);
      items_.push_back(std::move(v));
      cv_.notify_all();
    };
  }
  std::vector<T> Wait(size_t n) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return items_.size() >= n; });
    return items_;
  }
  size_t Size() {
    std::lock_guard<std::mutex> lock(mu_);
    return items_.size();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<T> items_;
};

// A loader of FakePredictors, one Shared per version string. Sources: "missing" fails the
// load (kNotFound), "broken" loads a model whose Predict fails (so the warm-up fails).
class Fleet {
 public:
  std::shared_ptr<FakePredictor::Shared> Get(const std::string& version) {
    std::lock_guard<std::mutex> lock(mu_);
    auto& s = by_version_[version];
    if (!s) s = std::make_shared<FakePredictor::Shared>();
    return s;
  }
  VersionLoader Loader() {
    return [this](const VersionRef& ref) -> absl::StatusOr<runtime::PredictorPtr> {
      if (ref.source == "missing") return absl::NotFoundError("no package at " + ref.source);
      auto shared = Get(ref.version);
      shared->fail = ref.source == "broken";
      return runtime::PredictorPtr(new FakePredictor(shared));
    };
  }
  // Predictors alive across all versions.
  int Live() {
    std::lock_guard<std::mutex> lock(mu_);
    int n = 0;
    for (auto& [v, s] : by_version_) n += s->live.load();
    return n;
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<FakePredictor::Shared>> by_version_;
};

inline VersionRef Ref(const std::string& version, const std::string& source = "ok") {
  return VersionRef{"fraud", version, source, "fake"};
}

// Keeps every record it is given.
class RecordingObserver : public PredictionObserver {
 public:
  void OnPrediction(PredictionRecord record) override {
    std::lock_guard<std::mutex> lock(mu);
    records.push_back(std::move(record));
  }
  std::mutex mu;
  std::vector<PredictionRecord> records;
};

}  // namespace ferry::serving::testing
