// The pool under failure, with real /usr/bin/python3 workers: a worker kill -9'd under
// concurrent requests, a model past its deadline, and many concurrent callers each getting
// their own rows. No timing thresholds: the tests wait for events, and ctest's timeout is the
// only bound on a hang.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "common/fs.h"
#include "common/strings.h"
#include "common/testing/test_dir.h"
#include "runtime/python/python_backend.h"
#include "runtime/python/python_predictor.h"
#include "runtime/python/testing/python_fixtures.h"

namespace ferry::runtime::python {
namespace {

using Clock = std::chrono::steady_clock;

// predict: x * 2 + 1; x < 0 sleeps |x| seconds first (a model past its deadline).
constexpr char kEchoLoader[] = R"(
import time
class M:
    def predict(self, df):
        x = df["x"].to_numpy()
        if len(x) and x[0] < 0:
            time.sleep(-x[0])
        return x * 2 + 1
def _load_pyfunc(path):
    return M()
)";

struct Pool {
  ferry::testing::TestDir dir{"pyworker-pool"};
  PredictorPtr predictor;

  explicit Pool(const PythonWorkerOptions& options) {
    PyfuncSpec spec = testing::WriteCodeModel(dir.path(), "echo_loader", kEchoLoader);
    ModelSchema schema;
    schema.inputs.push_back(TensorSpec{"x", DataType::kFp64, {-1}, {}, false});
    absl::StatusOr<PredictorPtr> p = LoadPyfunc(spec, schema, options);
    EXPECT_TRUE(p.ok()) << p.status();
    if (p.ok()) predictor = *std::move(p);
  }
  const PythonPredictor& pool() const { return dynamic_cast<const PythonPredictor&>(*predictor); }
  absl::Status Predict(double first, int64_t rows, std::vector<double>* got = nullptr) const {
    std::vector<Tensor> out;
    absl::Status s = predictor->Predict({testing::Column("x", rows, first)}, out);
    if (s.ok() && got != nullptr) *got = ToDoubles(out[0]);
    return s;
  }
  // Waits until `workers` live workers, none of them in `old_pids`; returns the time it took.
  double WaitForReplacement(const std::vector<int>& old_pids, int workers) const {
    const auto start = Clock::now();
    for (;;) {
      std::vector<int> pids = pool().WorkerPids();
      bool fresh =
          static_cast<int>(pids.size()) == workers && pool().stats().live_workers == workers;
      for (int pid : pids) {
        for (int old : old_pids) fresh &= pid != old;
      }
      if (fresh && pool().Ready().ok()) {
        return std::chrono::duration<double>(Clock::now() - start).count();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
};

TEST(PythonSupervision, KilledWorkerUnderLoadFailsOnlyWithUnavailableAndComesBack) {
  PythonWorkerOptions options;
  options.workers = 2;
  Pool pool(options);
  ASSERT_NE(pool.predictor, nullptr);
  const std::vector<int> pids = pool.pool().WorkerPids();
  ASSERT_EQ(pids.size(), 2u);

  std::atomic<bool> stop{false};
  std::atomic<int> ok{0}, unavailable{0}, other{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 6; ++t) {
    clients.emplace_back([&, t] {
      for (int i = 0; !stop; ++i) {
        std::vector<double> got;
        absl::Status s = pool.Predict(t * 1000 + i, 3, &got);
        if (s.ok() &&
            got == std::vector<double>{(t * 1000.0 + i) * 2 + 1, (t * 1000.0 + i + 1) * 2 + 1,
                                       (t * 1000.0 + i + 2) * 2 + 1}) {
          ++ok;
        } else if (s.code() == absl::StatusCode::kUnavailable) {
          ++unavailable;
        } else {
          ++other;
          ADD_FAILURE() << s;
        }
      }
    });
  }
  while (ok < 50) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_EQ(kill(pids[0], SIGKILL), 0);
  const double back = pool.WaitForReplacement({pids[0]}, 2);
  const int ok_before = ok;
  while (ok < ok_before + 50) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  stop = true;
  for (std::thread& c : clients) c.join();  // every request returned: none hangs
  EXPECT_EQ(other, 0);
  EXPECT_GE(pool.pool().stats().restarts, 1);
  std::printf("worker back after %.3f s; %d ok, %d unavailable\n", back, ok.load(),
              unavailable.load());
}

TEST(PythonSupervision, RequestPastItsDeadlineKillsAndReplacesTheWorker) {
  PythonWorkerOptions options;
  options.request_timeout = std::chrono::milliseconds(2000);
  Pool pool(options);
  ASSERT_NE(pool.predictor, nullptr);
  const std::vector<int> pids = pool.pool().WorkerPids();
  absl::Status s = pool.Predict(-30, 1);  // sleeps 30 s
  EXPECT_EQ(s.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(StatusMessage(s), "Request processing time exceeded limit");
  pool.WaitForReplacement(pids, 1);
  std::vector<double> got;
  s = pool.Predict(1, 2, &got);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(got, (std::vector<double>{3, 5}));
  EXPECT_EQ(pool.pool().stats().restarts, 1);
}

TEST(PythonSupervision, IdleWorkerDeathIsNoticedAndRepaired) {
  Pool pool(PythonWorkerOptions{});
  ASSERT_NE(pool.predictor, nullptr);
  const std::vector<int> pids = pool.pool().WorkerPids();
  ASSERT_EQ(kill(pids[0], SIGKILL), 0);
  pool.WaitForReplacement(pids, 1);
  EXPECT_TRUE(pool.Predict(0, 1).ok());
}

// A model that writes to the protocol socket behind the worker's back: the idle worker has
// spoken unasked, so it is replaced rather than trusted with the next request.
TEST(PythonSupervision, IdleWorkerWritingUnaskedIsReplaced) {
  ferry::testing::TestDir dir("pyworker-chatty");
  PyfuncSpec spec = testing::WriteCodeModel(dir.path(), "chatty_loader", R"(
import os, threading, time
class M:
    def predict(self, df):
        threading.Thread(target=lambda: (time.sleep(0.05), os.write(3, b"junk"))).start()
        return df["x"].to_numpy()
def _load_pyfunc(path):
    return M()
)");
  absl::StatusOr<PredictorPtr> p = LoadPyfunc(spec, ModelSchema{}, {});
  ASSERT_TRUE(p.ok()) << p.status();
  const auto& pool = dynamic_cast<const PythonPredictor&>(**p);
  const std::vector<int> pids = pool.WorkerPids();
  std::vector<Tensor> out;
  ASSERT_TRUE((*p)->Predict({testing::Column("x", 1, 0)}, out).ok());
  while (pool.stats().restarts < 1) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_NE(pool.WorkerPids(), pids);
}

TEST(PythonSupervision, ConcurrentCallersEachGetTheirOwnRows) {
  PythonWorkerOptions options;
  options.workers = 2;
  Pool pool(options);
  ASSERT_NE(pool.predictor, nullptr);
  constexpr int kCallers = 200;
  std::vector<std::thread> callers;
  std::atomic<int> right{0};
  for (int c = 0; c < kCallers; ++c) {
    callers.emplace_back([&, c] {
      const int64_t rows = 1 + c % 7;
      std::vector<double> got;
      absl::Status s = pool.Predict(c * 100.0, rows, &got);
      ASSERT_TRUE(s.ok()) << s;
      ASSERT_EQ(got.size(), static_cast<size_t>(rows));
      for (int64_t i = 0; i < rows; ++i) ASSERT_EQ(got[i], (c * 100.0 + i) * 2 + 1);
      ++right;
    });
  }
  for (std::thread& t : callers) t.join();
  EXPECT_EQ(right, kCallers);
  const WorkerPoolStats s = pool.pool().stats();
  EXPECT_EQ(s.requests, kCallers);
  EXPECT_EQ(s.failures, 0);
  EXPECT_EQ(s.restarts, 0);
}

TEST(PythonSupervision, RepeatedCrashesMakeThePoolNotReadyWithTheReason) {
  ferry::testing::TestDir dir("pyworker-crash");
  // Loads once (the marker file does not exist yet), then every restart fails.
  const std::string marker = dir.path() + "/loaded";
  PyfuncSpec spec = testing::WriteCodeModel(dir.path(), "once_loader",
                                            StrCat(R"(
import os
class M:
    def predict(self, df):
        os._exit(3)
def _load_pyfunc(path):
    if os.path.exists(")",
                                                   marker, R"("):
        raise RuntimeError("cannot load twice")
    open(")",
                                                   marker, R"(", "w").close()
    return M()
)"));
  absl::StatusOr<PredictorPtr> p = LoadPyfunc(spec, ModelSchema{}, {});
  ASSERT_TRUE(p.ok()) << p.status();
  const auto& pool = dynamic_cast<const PythonPredictor&>(**p);
  std::vector<Tensor> out;
  absl::Status s = (*p)->Predict({testing::Column("x", 1, 0)}, out);
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(StatusMessage(s).find("exit status 3"), std::string::npos) << s;
  for (;;) {
    absl::Status ready = pool.Ready();
    if (!ready.ok() && StatusMessage(ready).find("cannot load twice") != std::string::npos &&
        pool.stats().live_workers == 0) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  s = (*p)->Predict({testing::Column("x", 1, 0)}, out);
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(StatusMessage(s).find("RuntimeError: cannot load twice"), std::string::npos) << s;
}

// Requests of 1.6 MB and then 16 MB go through the shared arena (which grows past its first
// size, and the worker re-maps it); the replies come back inline as runs of 64 KiB packets.
// Small requests in between stay inline.
TEST(PythonSupervision, LargeBatchesGoThroughTheArenaAndPackets) {
  Pool pool(PythonWorkerOptions{});
  ASSERT_NE(pool.predictor, nullptr);
  for (int64_t rows : {200000, 3, 2000000, 200000}) {
    std::vector<double> got;
    absl::Status s = pool.Predict(rows, rows, &got);
    ASSERT_TRUE(s.ok()) << s;
    ASSERT_EQ(got.size(), static_cast<size_t>(rows));
    for (size_t i = 0; i < got.size(); ++i) ASSERT_EQ(got[i], (rows + i) * 2.0 + 1) << i;
  }
  EXPECT_EQ(pool.pool().stats().restarts, 0);
  // The worker has the arena mapped: the bulk bytes did not come through the socket.
  const std::string maps =
      ReadFile(StrCat("/proc/", pool.pool().WorkerPids().at(0), "/maps")).value_or("");
  EXPECT_NE(maps.find("memfd:ferry-worker-arena"), std::string::npos);
}

// A worker that dies while loading: the error has its exit status and its last output.
TEST(PythonSupervision, DeathDuringLoadReportsTheWorkersOutput) {
  ferry::testing::TestDir dir("pyworker-die");
  PyfuncSpec spec = testing::WriteCodeModel(dir.path(), "dying_loader", R"(
import os, sys
def _load_pyfunc(path):
    print("libfoo.so: cannot open shared object file", file=sys.stderr, flush=True)
    os._exit(7)
)");
  absl::StatusOr<PredictorPtr> p = LoadPyfunc(spec, ModelSchema{}, {});
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(StatusMessage(p.status()).find("exit status 7"), std::string::npos) << p.status();
  EXPECT_NE(StatusMessage(p.status()).find("libfoo.so: cannot open"), std::string::npos)
      << p.status();
}

// Unloading asks idle workers to SHUTDOWN, so a model's atexit handlers run.
TEST(PythonSupervision, UnloadLetsIdleWorkersExitCleanly) {
  ferry::testing::TestDir dir("pyworker-exit");
  const std::string marker = dir.path() + "/exited";
  PyfuncSpec spec = testing::WriteCodeModel(dir.path(), "atexit_loader",
                                            StrCat(R"(
import atexit
class M:
    def predict(self, df):
        return df["x"].to_numpy()
def _load_pyfunc(path):
    atexit.register(lambda: open(")",
                                                   marker, R"(", "w").close())
    return M()
)"));
  absl::StatusOr<PredictorPtr> p = LoadPyfunc(spec, ModelSchema{}, {});
  ASSERT_TRUE(p.ok()) << p.status();
  p->reset();
  EXPECT_TRUE(PathExists(marker));
}

// RLIMIT_AS turns a runaway allocation into Python's MemoryError, an error of that request.
TEST(PythonSupervision, MemoryCapMakesAllocationFailInsteadOfTheMachine) {
  ferry::testing::TestDir dir("pyworker-mem");
  PyfuncSpec spec = testing::WriteCodeModel(dir.path(), "greedy_loader", R"(
import numpy as np
class M:
    def predict(self, df):
        big = np.ones(4 << 30, dtype=np.uint8)
        return df["x"].to_numpy() + big[0]
def _load_pyfunc(path):
    return M()
)");
  PythonWorkerOptions options;
  options.memory_limit_bytes = uint64_t{2} << 30;
  absl::StatusOr<PredictorPtr> p = LoadPyfunc(spec, ModelSchema{}, options);
  ASSERT_TRUE(p.ok()) << p.status();
  std::vector<Tensor> out;
  absl::Status s = (*p)->Predict({testing::Column("x", 1, 0)}, out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);  // MLflow: 400 BAD_REQUEST
  EXPECT_EQ(StatusMessage(s).rfind(kPredictErrorMessage, 0), 0u) << s;
  EXPECT_NE(StatusMessage(s).find("MemoryError"), std::string::npos) << s;
}

}  // namespace
}  // namespace ferry::runtime::python
