#include "common/process.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

#include "common/fs.h"

namespace ferry {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// True once `pid` is gone or a zombie (killed, not yet reaped by init).
bool Dead(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return true;
  size_t paren = line.rfind(')');
  return paren != std::string::npos && paren + 2 < line.size() && line[paren + 2] == 'Z';
}

TEST(RunProcess, ExitStatusAndEnvironment) {
  ProcessOptions o;
  o.extra_env = {{"FERRY_PROCESS_TEST", "42"}};
  o.tail_bytes = 100;
  auto r = RunProcess({"/bin/sh", "-c", "echo $FERRY_PROCESS_TEST; exit 3"}, o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_FALSE(r->signaled);
  EXPECT_FALSE(r->timed_out);
  EXPECT_EQ(r->output_tail, "42\n");
}

TEST(RunProcess, ReportsSignals) {
  auto r = RunProcess({"/bin/sh", "-c", "kill -9 $$"}, {});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->signaled);
  EXPECT_EQ(r->exit_code, 128 + 9);
}

TEST(RunProcess, AProgramThatCannotStartIsNamed) {
  auto r = RunProcess({"/nonexistent/ferry-no-such-program"}, {});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("ferry-no-such-program"), std::string_view::npos);
}

TEST(RunProcess, KeepsTheTailOfBothStreams) {
  ProcessOptions o;
  o.tail_bytes = 8;
  auto r =
      RunProcess({"/bin/sh", "-c", "head -c 100000 /dev/zero | tr '\\0' x; echo >&2 ERR-END"}, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->output_tail, "ERR-END\n");
}

TEST(RunProcess, CopiesEachStreamToItsFile) {
  auto dir = TempDir::Create("ferry-process-test");
  ASSERT_TRUE(dir.ok());
  ProcessOptions o;
  o.stdout_file = JoinPath(dir->path(), "out.txt");
  o.stderr_file = JoinPath(dir->path(), "err.txt");
  auto r = RunProcess({"/bin/sh", "-c", "echo to-out; echo to-err >&2"}, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Slurp(o.stdout_file), "to-out\n");
  EXPECT_EQ(Slurp(o.stderr_file), "to-err\n");
}

TEST(RunProcess, TimeoutKillsTheWholeProcessGroup) {
  auto dir = TempDir::Create("ferry-process-test");
  ASSERT_TRUE(dir.ok());
  const std::string pid_file = JoinPath(dir->path(), "grandchild.pid");
  ProcessOptions o;
  o.own_process_group = true;
  o.timeout = std::chrono::milliseconds(300);
  // The grandchild keeps running after its parent would have been killed alone.
  auto r = RunProcess({"/bin/sh", "-c", "sleep 60 & echo $! >" + pid_file + "; wait"}, o);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->timed_out);
  EXPECT_TRUE(r->signaled);
  EXPECT_EQ(r->exit_code, 128 + SIGKILL);
  const pid_t grandchild = static_cast<pid_t>(std::stol(Slurp(pid_file)));
  bool dead = false;
  for (int i = 0; i < 500 && !dead; ++i) {  // up to 5 s for init to see it die
    dead = Dead(grandchild);
    if (!dead) ::usleep(10000);
  }
  EXPECT_TRUE(dead) << "grandchild " << grandchild << " survived the timeout";
}

TEST(RunProcess, ForwardsTermToTheChild) {
  auto dir = TempDir::Create("ferry-process-test");
  ASSERT_TRUE(dir.ok());
  const std::string marker = JoinPath(dir->path(), "started");
  // A SIGTERM arriving before the forwarder is installed must not end the test process.
  struct sigaction ignore {
  }, old{};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGTERM, &ignore, &old);
  // Sent until the run returns: one sent before the forwarder is installed is ignored.
  std::atomic<bool> returned{false};
  std::thread sender([&] {
    while (!PathExists(marker) && !returned) ::usleep(1000);
    while (!returned) {
      ::kill(::getpid(), SIGTERM);
      ::usleep(20000);
    }
  });
  ProcessOptions o;
  o.forward_signals = true;
  o.timeout = std::chrono::seconds(30);  // bounds the test if the signal were lost
  auto r = RunProcess(
      {"/bin/sh", "-c", "trap 'exit 7' TERM; touch " + marker + "; while :; do sleep 0.05; done"},
      o);
  returned = true;
  sender.join();
  ::sigaction(SIGTERM, &old, nullptr);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->timed_out);
  EXPECT_EQ(r->exit_code, 7);  // the child's trap ran: it got our SIGTERM
}

TEST(CaptureCommand, TrimmedStdoutOrEmpty) {
  EXPECT_EQ(CaptureCommand({"/bin/sh", "-c", "echo hello; echo noise >&2"}), "hello");
  EXPECT_EQ(CaptureCommand({"/bin/sh", "-c", "echo partial; exit 1"}), "");
  EXPECT_EQ(CaptureCommand({"/nonexistent/ferry-no-such-program"}), "");
}

// Polls until the child ends; its exit status.
int ReapBlocking(int pid) {
  for (;;) {
    if (std::optional<int> code = TryReapProcess(pid)) return *code;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

TEST(SpawnProcess, AppendsOutputRunsInWorkDirAndIsPolled) {
  char tmpl[] = "/tmp/ferry-spawn-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  const std::string dir = tmpl, log = dir + "/log";
  ASSERT_TRUE(WriteFileAtomic(log, "before\n").ok());
  SpawnOptions o;
  o.work_dir = dir;
  o.output_file = log;
  o.extra_env = {{"FERRY_SPAWN_TEST", "env"}};
  auto pid =
      SpawnProcess({"/bin/sh", "-c", "echo $FERRY_SPAWN_TEST; echo err >&2; pwd; exit 4"}, o);
  ASSERT_TRUE(pid.ok()) << pid.status();
  EXPECT_EQ(ReapBlocking(*pid), 4);
  EXPECT_EQ(Slurp(log), "before\nenv\nerr\n" + dir + "\n");
  EXPECT_FALSE(SpawnProcess({"/no/such/program"}, o).ok());
  EXPECT_TRUE(RemoveTree(dir).ok());
}

TEST(SpawnProcess, SignalReachesTheWholeGroup) {
  auto pid = SpawnProcess({"/bin/sh", "-c", "sleep 30 & sleep 30"}, SpawnOptions{});
  ASSERT_TRUE(pid.ok());
  EXPECT_FALSE(TryReapProcess(*pid).has_value());
  SignalProcess(*pid, SIGKILL);
  EXPECT_EQ(ReapBlocking(*pid), 128 + SIGKILL);
}

}  // namespace
}  // namespace ferry
