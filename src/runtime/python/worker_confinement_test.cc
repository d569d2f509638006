// What a worker process runs under: read back from inside Python by a model that reports its
// own process state.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "common/fs.h"
#include "common/json.h"
#include "common/strings.h"
#include "common/testing/test_dir.h"
#include "runtime/python/python_backend.h"
#include "runtime/python/python_predictor.h"
#include "runtime/python/testing/python_fixtures.h"

namespace ferry::runtime::python {
namespace {

constexpr char kIntrospectLoader[] = R"(
import json, os, resource, sys
import numpy as np
class M:
    def predict(self, df):
        status = open("/proc/self/status").read()
        state = {
            "env": sorted(os.environ),
            "threads": os.environ.get("OPENBLAS_NUM_THREADS"),
            "home": os.environ.get("HOME"),
            "cwd": os.getcwd(),
            "no_new_privs": [l.split()[1] for l in status.splitlines() if l.startswith("NoNewPrivs")][0],
            "as_limit": resource.getrlimit(resource.RLIMIT_AS)[0],
            "own_group": os.getpgid(0) == os.getpid(),
            "stdin_null": os.path.realpath("/proc/self/fd/0") == "/dev/null",
            "fds": sorted(int(f) for f in os.listdir("/proc/self/fd")),
        }
        return np.array([json.dumps(state)] * len(df), dtype=object)
def _load_pyfunc(path):
    return M()
)";

TEST(WorkerConfinement, ScrubbedEnvironmentLimitsAndNoNewPrivileges) {
  ferry::testing::TestDir dir("pyworker-confine");
  PyfuncSpec spec = testing::WriteCodeModel(dir.path(), "introspect", kIntrospectLoader);
  PythonWorkerOptions options;
  options.threads = 2;
  options.memory_limit_bytes = uint64_t{3} << 30;
  setenv("FERRY_SECRET_FOR_TEST", "leak", 1);
  absl::StatusOr<PredictorPtr> p = LoadPyfunc(spec, ModelSchema{}, options);
  unsetenv("FERRY_SECRET_FOR_TEST");
  ASSERT_TRUE(p.ok()) << p.status();
  std::vector<Tensor> out;
  ASSERT_TRUE((*p)->Predict({testing::Column("x", 1, 0)}, out).ok());
  ASSERT_EQ(out.size(), 1u);
  ASSERT_EQ(out[0].datatype, DataType::kBytes);
  absl::StatusOr<JsonValue> state = ParseJson(out[0].strings.at(0));
  ASSERT_TRUE(state.ok()) << out[0].strings.at(0);
  std::vector<std::string> env;
  for (const JsonValue& v : state->Find("env")->items()) env.push_back(v.as_string());
  EXPECT_EQ(env, (std::vector<std::string>{"HOME", "LANG", "MKL_NUM_THREADS", "OMP_NUM_THREADS",
                                           "OPENBLAS_NUM_THREADS", "PATH",
                                           "PYTHONDONTWRITEBYTECODE", "PYTHONNOUSERSITE"}));
  EXPECT_EQ(state->Find("threads")->as_string(), "2");
  EXPECT_EQ(state->Find("home")->as_string(), dir.path());
  EXPECT_EQ(state->Find("no_new_privs")->as_string(), "1");
  EXPECT_EQ(state->Find("as_limit")->as_int(), int64_t{3} << 30);
  EXPECT_TRUE(state->Find("own_group")->as_bool());
  EXPECT_TRUE(state->Find("stdin_null")->as_bool());
  std::vector<int64_t> fds;
  for (const JsonValue& v : state->Find("fds")->items()) fds.push_back(v.as_int());
  // stdin, stdout, stderr, the socket, the arena, and the one listdir itself opened.
  EXPECT_EQ(fds.size(), 6u) << out[0].strings.at(0);
}

// PR_SET_PDEATHSIG follows the thread that forked: a pool loaded by a thread that then ends
// keeps its workers (they are forked by Ferry's spawner thread, not the caller's).
TEST(WorkerConfinement, WorkersOutliveTheThreadThatLoadedThem) {
  ferry::testing::TestDir dir("pyworker-thread");
  PyfuncSpec spec = testing::WriteCodeModel(dir.path(), "introspect", kIntrospectLoader);
  absl::StatusOr<PredictorPtr> p = absl::UnknownError("not run");
  std::thread loader([&] { p = LoadPyfunc(spec, ModelSchema{}, {}); });
  loader.join();
  ASSERT_TRUE(p.ok()) << p.status();
  usleep(200000);  // a PDEATHSIG would have been delivered by now
  std::vector<Tensor> out;
  ASSERT_TRUE((*p)->Predict({testing::Column("x", 1, 0)}, out).ok());
  EXPECT_EQ(dynamic_cast<const PythonPredictor&>(**p).stats().restarts, 0);
}

// PR_SET_PDEATHSIG: when the process holding the pool dies without cleaning up (kill -9),
// its workers die with it.
TEST(WorkerConfinement, WorkersDieWithTheirParent) {
  ferry::testing::TestDir dir("pyworker-orphan");
  PyfuncSpec spec = testing::WriteCodeModel(dir.path(), "introspect", kIntrospectLoader);
  int report[2];
  ASSERT_EQ(pipe(report), 0);
  const pid_t server = fork();
  ASSERT_GE(server, 0);
  if (server == 0) {
    close(report[0]);
    absl::StatusOr<PredictorPtr> p = LoadPyfunc(spec, ModelSchema{}, {});
    int pid = p.ok() ? dynamic_cast<const PythonPredictor&>(**p).WorkerPids().at(0) : -1;
    (void)!write(report[1], &pid, sizeof pid);
    pause();
    _exit(0);
  }
  close(report[1]);
  int worker = -1;
  ASSERT_EQ(read(report[0], &worker, sizeof worker), static_cast<ssize_t>(sizeof worker));
  close(report[0]);
  ASSERT_GT(worker, 0);
  ASSERT_EQ(kill(worker, 0), 0);
  ASSERT_EQ(kill(server, SIGKILL), 0);
  ASSERT_EQ(waitpid(server, nullptr, 0), server);
  // The worker was the killed process's child: once the kernel delivered SIGKILL it is
  // reparented and reaped by init (or a subreaper), and kill(pid, 0) fails.
  while (kill(worker, 0) == 0) {
    std::string stat = ReadFile(StrCat("/proc/", worker, "/stat")).value_or("");
    if (stat.find(") Z ") != std::string::npos) break;  // dead, waiting for its reaper
    usleep(10000);
  }
}

}  // namespace
}  // namespace ferry::runtime::python
