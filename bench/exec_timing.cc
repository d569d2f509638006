// Exec-to-exit wall time of two commands, run in turn (A B A B ...) so that a shared, noisy
// machine slows both alike; prints each one's median and p90 and the median of the per-pair
// ratio A/B. Each run gets STDIN_FILE as its standard input and /dev/null as its output.
//   exec_timing ROUNDS STDIN_FILE -- COMMAND_A ARGS... -- COMMAND_B ARGS...
// (bench/run_predict_cold_bench.sh: `ferry predict` against a C program that returns at once.)

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

extern char** environ;

namespace {

using Argv = std::vector<char*>;

// One run of `argv`, in seconds; exits the bench when the command cannot run or fails.
double RunOnce(const Argv& argv, const char* stdin_file) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, stdin_file, O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) {
    std::fprintf(stderr, "exec_timing: cannot start %s: %s\n", argv[0], std::strerror(rc));
    std::exit(1);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "exec_timing: %s failed (status %d)\n", argv[0], status);
    std::exit(1);
  }
  return took.count();
}

double Quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[static_cast<size_t>(q * static_cast<double>(v.size() - 1))];
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<Argv> commands;
  for (int i = 3; i < argc; ++i) {
    if (std::strcmp(argv[i], "--") == 0) {
      commands.emplace_back();
    } else if (!commands.empty()) {
      commands.back().push_back(argv[i]);
    }
  }
  if (argc < 3 || commands.size() != 2 || commands[0].empty() || commands[1].empty()) {
    std::fprintf(stderr, "usage: exec_timing ROUNDS STDIN_FILE -- COMMAND_A... -- COMMAND_B...\n");
    return 2;
  }
  for (auto& c : commands) c.push_back(nullptr);
  const int rounds = std::max(1, std::atoi(argv[1]));
  RunOnce(commands[0], argv[2]);  // warm-up: page cache
  RunOnce(commands[1], argv[2]);
  std::vector<double> a, b, ratio;
  for (int i = 0; i < rounds; ++i) {
    a.push_back(RunOnce(commands[0], argv[2]));
    b.push_back(RunOnce(commands[1], argv[2]));
    ratio.push_back(a.back() / b.back());
  }
  std::printf("A median %.2f ms, p90 %.2f ms (%s)\n", Quantile(a, 0.5) * 1e3,
              Quantile(a, 0.9) * 1e3, commands[0][0]);
  std::printf("B median %.2f ms, p90 %.2f ms (%s)\n", Quantile(b, 0.5) * 1e3,
              Quantile(b, 0.9) * 1e3, commands[1][0]);
  std::printf("A/B median %.2f over %d pairs\n", Quantile(ratio, 0.5), rounds);
  return 0;
}
