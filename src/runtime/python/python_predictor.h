#pragma once
// The supervised pool behind LoadPyfunc: N PythonWorkers, each serving one request at a time,
// and a supervisor thread that restarts dead workers with backoff, pings idle ones and drains
// their output. No request hangs: a dead worker's request gets kUnavailable, one past its
// deadline kDeadlineExceeded (the worker is killed and replaced), and a request that finds
// no live worker gets kUnavailable at once. Thread-safe.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "runtime/predictor.h"
#include "runtime/python/python_backend.h"
#include "runtime/python/python_worker.h"

namespace ferry::runtime::python {

inline constexpr char kDeadlineMessage[] = "Request processing time exceeded limit";

struct PoolConfig {
  WorkerLaunch launch;
  Frame load;  // the LOAD frame, warm-up columns included
  int workers = 1;
  std::chrono::milliseconds request_timeout{60000};
  std::chrono::milliseconds load_timeout{120000};
  ModelSchema schema;             // outputs may be empty: then taken from the warm-up
  bool batch_by_default = false;  // Execution().batch_rows: kDefaultBatchRows, else 0
};

// Rows per batch when batching is on by default: enough to amortise a round trip (~20 µs)
// and pandas' per-call cost (~100 µs), small enough that one batch stays well under 1 ms.
inline constexpr int kDefaultBatchRows = 64;

class PythonPredictor final : public Predictor {
 public:
  // Starts every worker; fails with the first worker's error.
  static absl::StatusOr<std::unique_ptr<PythonPredictor>> Start(PoolConfig config);
  ~PythonPredictor() override;

  // Predictor
  const ModelSchema& schema() const override { return schema_; }
  absl::Status Predict(const std::vector<Tensor>& inputs,
                       std::vector<Tensor>& outputs) const override;

  // OK while a worker is live and crashes have not repeated; kUnavailable with the reason
  // (the last failure) otherwise.
  absl::Status Ready() const override;
  ExecutionHint Execution() const override;
  std::optional<WorkerPoolStats> PoolStats() const override { return stats(); }
  WorkerPoolStats stats() const;
  // The kind of the latest prediction (the warm-up's until a request ran; kUnknown before
  // either). The names of a Series', DataFrame's or dict's outputs are the model's (the
  // Series' name, the columns, the keys); an ndarray's or list's take the schema's names.
  OutputKind output_kind() const { return output_kind_; }
  // "numpy" when the warm-up proved a 2-D array gives the DataFrame's answer, else "dataframe".
  const std::string& input_mode() const { return input_mode_; }
  // What the first worker said after loading: `loader` (mlflow or ferry), `mode`, `kind`,
  // and the interpreter's python_version, sklearn_version, cloudpickle_version and
  // mlflow_version ("" for a module it did not import), for `package inspect` and warnings.
  const std::vector<std::pair<std::string, std::string>>& load_info() const { return load_info_; }
  // The pids of the live workers (tests kill them).
  std::vector<int> WorkerPids() const;

 private:
  enum class SlotState { kIdle, kBusy, kDown, kStarting };
  struct Slot {
    std::unique_ptr<PythonWorker> worker;
    SlotState state = SlotState::kDown;
    std::chrono::steady_clock::time_point restart_at;
    std::chrono::steady_clock::time_point last_ping;
  };
  using Clock = std::chrono::steady_clock;

  explicit PythonPredictor(PoolConfig config);
  absl::StatusOr<std::unique_ptr<PythonWorker>> StartWorker(Frame* reply) const;
  absl::StatusOr<size_t> Acquire(Clock::time_point deadline) const;
  // Returns the slot's worker to the pool, or marks it down; returns why it died, or "".
  std::string Release(size_t slot, const absl::Status& call) const;
  void MarkDown(Slot& slot, std::string reason) const;
  absl::Status Call(const std::vector<Tensor>& inputs, Frame& reply, Clock::time_point start) const;
  absl::Status TakeOutputs(Frame& reply, int64_t rows, std::vector<Tensor>& outputs) const;
  void Supervise();
  void RestartDue(std::unique_lock<std::mutex>& lock);
  void PingIdle(std::unique_lock<std::mutex>& lock);

  PoolConfig config_;
  ModelSchema schema_;
  mutable std::atomic<OutputKind> output_kind_{OutputKind::kUnknown};
  std::string input_mode_ = "dataframe";
  std::vector<std::pair<std::string, std::string>> load_info_;

  mutable std::mutex mu_;
  mutable std::condition_variable idle_cv_;        // a worker became idle or the pool changed
  mutable std::condition_variable supervisor_cv_;  // a worker went down, or stop
  mutable std::vector<Slot> slots_;                // guarded by mu_
  mutable int crash_streak_ = 0;                   // guarded by mu_; reset by a success
  mutable std::string last_failure_;               // guarded by mu_
  bool stopping_ = false;                          // guarded by mu_
  std::thread supervisor_;

  mutable std::atomic<int64_t> restarts_{0}, requests_{0}, failures_{0};
  mutable std::atomic<int64_t> queue_us_{0}, ipc_us_{0}, worker_us_{0};
};

}  // namespace ferry::runtime::python
