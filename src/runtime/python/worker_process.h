#pragma once
// One Python worker process, started confined: fork + exec rather than common/process.h's
// posix_spawn, because the child must set PR_SET_PDEATHSIG(SIGKILL), PR_SET_NO_NEW_PRIVS and
// RLIMIT_AS on itself between the two, which posix_spawn cannot express. Its own process
// group, a scrubbed environment, stdin from /dev/null, stdout and stderr into a pipe whose
// last bytes are kept for error messages, one end of a SOCK_SEQPACKET pair as fd 3 and a
// memfd arena for bulk request tensors as fd 4.
// Stopping and reaping reuse common/process.h (SignalProcess, TryReapProcess).

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/fs.h"
#include "common/status.h"
#include "runtime/python/worker_frame.h"

namespace ferry::runtime::python {

struct WorkerLaunch {
  std::string interpreter;          // absolute path of python3
  std::string script;               // the worker's Python source, run with -c
  std::string home;                 // HOME and the working directory (the model directory)
  int threads = 1;                  // OMP_NUM_THREADS, OPENBLAS_NUM_THREADS, MKL_NUM_THREADS
  uint64_t memory_limit_bytes = 0;  // RLIMIT_AS; 0: inherited
};

// Thread-safe. Destruction kills the process group and reaps the worker.
class WorkerProcess {
 public:
  // Starts the interpreter, forked by a process-wide spawner thread (PR_SET_PDEATHSIG follows
  // the forking thread, so callers' threads may end). kInvalidArgument naming the interpreter when
  // it cannot be run (the exec error comes back through a close-on-exec pipe), an errno status
  // otherwise.
  static absl::StatusOr<std::unique_ptr<WorkerProcess>> Spawn(const WorkerLaunch& launch);
  ~WorkerProcess();

  int pid() const { return pid_; }
  int socket_fd() const { return socket_.get(); }
  int stderr_fd() const { return stderr_.get(); }

  // The shared-memory arena (a memfd the worker has as fd 4), grown to hold at least `bytes`
  // (the worker re-maps it when a frame's `arena_size` says it grew). For the one caller
  // that owns the worker at a time; not synchronised.
  absl::StatusOr<ArenaSpan> Arena(uint64_t bytes);

  // SIGKILLs the process group (idempotent).
  void Kill();
  // Reads what is waiting on the stderr pipe into the bounded tail (never blocks).
  void DrainStderr();
  // The last bytes the worker wrote to stdout/stderr (drained first), trimmed.
  std::string StderrTail();
  // Non-blocking: the exit status once the worker ended (128 + signal when killed).
  std::optional<int> TryReap();
  // Blocks until the worker ended (call after Kill); returns its exit status.
  int Reap();

 private:
  static absl::StatusOr<std::unique_ptr<WorkerProcess>> SpawnOnThisThread(
      const WorkerLaunch& launch);
  WorkerProcess(int pid, Fd socket, Fd stderr_pipe, Fd arena)
      : pid_(pid),
        socket_(std::move(socket)),
        stderr_(std::move(stderr_pipe)),
        arena_(std::move(arena)) {}

  const int pid_;
  Fd socket_;
  Fd stderr_;
  Fd arena_;
  ArenaSpan mapped_;  // our mapping of arena_ (empty until first used)
  std::mutex mu_;
  std::string tail_;         // guarded by mu_
  bool killed_ = false;      // guarded by mu_
  std::optional<int> exit_;  // guarded by mu_
};

// The environment a worker gets, as NAME=value strings: PATH (the interpreter's directory
// first), HOME, LANG=C.UTF-8, PYTHONNOUSERSITE=1, PYTHONDONTWRITEBYTECODE=1 and the three
// thread counts; nothing of ours.
std::vector<std::string> WorkerEnvironment(const WorkerLaunch& launch);

}  // namespace ferry::runtime::python
