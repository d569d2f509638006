// The Python worker pool's per-request cost against the physical floor, in one run:
//   floor      a 64-byte SOCK_SEQPACKET ping-pong between two C++ threads;
//   ping       PING through a real worker (frame encode, socket, Python's loop, decode);
//   noop       Predictor::Predict of a no-op model (returns its 1-row ndarray input);
//   bulk       the same model on 100,000 rows (800 KB in through the arena, back inline);
//   logreg     Predictor::Predict of tests/data/mlflow-models/sklearn-logreg, 1 row (30 columns).
// Usage: python_worker_bench [ITERATIONS] (default 20000; the sklearn case runs a fifth).
// Prints p50/p99 in microseconds, one line per case.
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "common/fs.h"
#include "common/testing/test_dir.h"
#include "runtime/python/python_backend.h"
#include "runtime/python/python_predictor.h"
#include "runtime/python/worker_script.h"

namespace {

using namespace ferry;
using namespace ferry::runtime::python;
using ferry::runtime::Predictor;
using Clock = std::chrono::steady_clock;

void Report(const char* name, std::vector<double> us) {
  std::sort(us.begin(), us.end());
  auto at = [&](double q) { return us[static_cast<size_t>(q * (us.size() - 1))]; };
  std::printf("%-8s n=%-6zu p50 %7.1f us   p99 %7.1f us\n", name, us.size(), at(0.5), at(0.99));
}

std::vector<double> Time(int n, const std::function<void()>& call) {
  for (int i = 0; i < n / 10 + 10; ++i) call();  // warm caches and branch predictors
  std::vector<double> us;
  us.reserve(n);
  for (int i = 0; i < n; ++i) {
    const auto t0 = Clock::now();
    call();
    us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  return us;
}

std::vector<double> Floor(int n) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) != 0) std::abort();
  std::thread echo([fd = sv[1]] {
    char buf[64];
    for (;;) {
      const ssize_t got = recv(fd, buf, sizeof buf, 0);
      if (got <= 0 || send(fd, buf, static_cast<size_t>(got), 0) <= 0) return;
    }
  });
  char msg[64] = {};
  std::vector<double> us = Time(n, [&] {
    if (send(sv[0], msg, sizeof msg, 0) != sizeof msg || recv(sv[0], msg, sizeof msg, 0) <= 0) {
      std::abort();
    }
  });
  close(sv[0]);
  echo.join();
  close(sv[1]);
  return us;
}

std::vector<double> Ping(int n, const std::string& dir) {
  WorkerLaunch launch{"/usr/bin/python3", std::string(WorkerScript()), dir, 1, 0};
  Frame load;
  load.type = FrameType::kLoad;
  load.params = {{"model_dir", dir}, {"loader_module", "noop_loader"}, {"code", "code"}};
  Frame reply;
  auto worker = PythonWorker::Start(launch, load, Clock::now() + std::chrono::seconds(60), &reply);
  if (!worker.ok()) std::abort();
  Frame ping;
  ping.type = FrameType::kPing;
  return Time(n, [&] {
    if (!(*worker)->Call(ping, Clock::now() + std::chrono::seconds(10), nullptr).ok()) std::abort();
  });
}

std::vector<double> Predict(int n, const Predictor& p, const std::vector<Tensor>& in) {
  std::vector<Tensor> out;
  return Time(n, [&] {
    if (!p.Predict(in, out).ok()) std::abort();
  });
}

void PrintSplit(const Predictor& p) {
  const runtime::WorkerPoolStats s = *p.PoolStats();
  const double n = static_cast<double>(std::max<int64_t>(1, s.requests));
  std::printf("         mean split: queue %.1f us, IPC %.1f us, Python %.1f us\n", s.queue_us / n,
              s.ipc_us / n, s.worker_us / n);
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 20000;
  ferry::testing::TestDir dir("pyworker-bench");
  if (!MakeDirs(dir.Sub("code")).ok() ||
      !WriteFileAtomic(JoinPath(dir.path(), "code/noop_loader.py"),
                       "class M:\n    def predict(self, x):\n        return x\n"
                       "def _load_pyfunc(path):\n    return M()\n")
           .ok()) {
    return 1;
  }
  Report("floor", Floor(n));
  Report("ping", Ping(n, dir.path()));

  PyfuncSpec noop{dir.path(), "noop_loader", "", "", "", {}, "code", "", "", "", ""};
  ModelSchema tensor_schema;
  tensor_schema.inputs.push_back(TensorSpec{"x", DataType::kFp64, {-1, 1}, {}, false});
  auto noop_model = LoadPyfunc(noop, tensor_schema, {});
  if (!noop_model.ok()) return 1;
  Report("noop", Predict(n, **noop_model, {MakeFp64Tensor("x", {1, 1}, {1.0})}));
  PrintSplit(**noop_model);
  // 100,000 rows (800 KB) in through the memfd arena, back inline in 64 KiB packets.
  std::vector<double> bulk(100000, 0.25);
  Report("bulk",
         Predict(std::max(50, n / 100), **noop_model, {MakeFp64Tensor("x", {100000, 1}, bulk)}));

  const std::string logreg_dir =
      JoinPath(FERRY_SOURCE_DIR, "tests/data/mlflow-models/sklearn-logreg");
  PyfuncSpec logreg{logreg_dir, "mlflow.sklearn",     "model.pkl", "", "predict", {},
                    "",         "input_example.json", "",          "", ""};
  auto example = ReadFile(JoinPath(logreg_dir, "input_example.json"));
  auto model = LoadPyfunc(logreg, ModelSchema{}, {});
  if (!model.ok() || !example.ok()) return 1;
  std::vector<Tensor> row;
  for (int c = 0; c < 30; ++c) row.push_back(MakeFp64Tensor("c" + std::to_string(c), {1}, {0.5}));
  // The warm-up chose numpy for the example's column names; reuse those names.
  const size_t open = example->find('[') + 1, close = example->find(']');
  std::string names = example->substr(open, close - open);
  for (int c = 0; c < 30; ++c) {
    const size_t q0 = names.find('"'), q1 = names.find('"', q0 + 1);
    row[c].name = names.substr(q0 + 1, q1 - q0 - 1);
    names = names.substr(q1 + 1);
  }
  std::printf("logreg input mode: %s\n",
              dynamic_cast<const PythonPredictor&>(**model).input_mode().c_str());
  Report("logreg", Predict(std::max(100, n / 5), **model, row));
  PrintSplit(**model);
  return 0;
}
