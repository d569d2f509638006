#pragma once
// One loaded Python worker: a WorkerProcess that answered LOAD, and the request/reply calls
// to it. Not thread-safe: the pool gives a worker to one caller at a time. Any failure of the
// channel (death, a deadline, a malformed reply) kills the worker; it is then dead() for good
// and the pool replaces it.

#include <memory>
#include <string>

#include "common/status.h"
#include "runtime/python/worker_channel.h"
#include "runtime/python/worker_frame.h"
#include "runtime/python/worker_process.h"

namespace ferry::runtime::python {

// What MLflow 2.12.2's scoring server says when the model's predict raises (then the Python
// error, "Type: message").
inline constexpr char kPredictErrorMessage[] =
    "Encountered an unexpected error while evaluating the model. Verify that the serialized "
    "input Dataframe is compatible with the model for inference.";

struct CallTimes {
  int64_t ipc_us = 0;     // encode, send, wait and decode, minus the worker's own time
  int64_t python_us = 0;  // what the worker measured around the model call
};

class PythonWorker {
 public:
  // Spawns a worker and sends it `load`; `*reply` gets the worker's RESULT (the warm-up
  // prediction). Errors: the spawn's, or kFailedPrecondition "loading the model failed:
  // <Type>: <message>" when Python raised, or kUnavailable/kDeadlineExceeded naming the exit
  // status and the worker's last stderr lines when it died or stayed silent.
  static absl::StatusOr<std::unique_ptr<PythonWorker>> Start(const WorkerLaunch& launch,
                                                             const Frame& load, Deadline deadline,
                                                             Frame* reply);

  // Sends `request` and returns the worker's RESULT. A Python exception (ERROR frame) is
  // kInternal "<Type>: <message>" and leaves the worker usable. kDeadlineExceeded when no
  // answer came before `deadline`, kUnavailable when the worker died, kInvalidArgument for a
  // malformed reply: after those three the worker is killed and dead().
  absl::StatusOr<Frame> Call(Frame& request, Deadline deadline, CallTimes* times);

  bool dead() const { return dead_; }
  WorkerProcess& process() { return *process_; }
  // "exit status N" or "killed by signal N", then the last stderr lines, for messages.
  std::string Obituary();
  // Kills the worker and marks it dead.
  void Kill();

 private:
  explicit PythonWorker(std::unique_ptr<WorkerProcess> process) : process_(std::move(process)) {}
  absl::StatusOr<Frame> Exchange(const Frame& request, Deadline deadline, ArenaSpan arena = {});

  std::unique_ptr<WorkerProcess> process_;
  bool dead_ = false;
  uint64_t next_id_ = 1;
};

// The error an ERROR frame carries: "<Type>: <message>".
std::string PythonErrorText(const Frame& error);

}  // namespace ferry::runtime::python
