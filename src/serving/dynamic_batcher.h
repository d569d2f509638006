#pragma once
// Triton-style dynamic batching in front of one loaded version's Predictor.
//
// With max_batch_size 0 or 1 batching is off: Submit runs the model inline on the caller's
// thread, with no queue and no thread hop, unless `off_loop` asks for the queue anyway (one
// request per call, for models that block on worker processes). Otherwise Submit queues the request
// (bounded by max_queue_size: when full the request completes at once with kUnavailable
// "queue full (N requests)") and `workers` threads take batches from the queue: requests whose
// inputs have the same names, datatypes and non-batch dimensions are concatenated along dim 0
// up to max_batch_size rows, the model runs once, and the outputs are split back by each
// request's row count. A worker that finds fewer rows than max_batch_size waits up to
// max_queue_delay_us (on the steady clock) for more. A request whose deadline passed while it
// was queued completes with kDeadlineExceeded and is not executed. A request with more rows
// than max_batch_size, or with a scalar input, runs on its own.
//
// Lifecycle: requests may be submitted before Start() (they wait in the queue); Drain() runs
// every queued request, stops the workers, and from then on Submit runs requests inline, so a
// caller that still holds the version during an unload never fails. The Predictor must outlive
// the batcher and every Submit call.
//
// Thread-safe. `done` is called exactly once per Submit, on the caller's thread (inline, queue
// full, or after Drain) or on a worker thread, without any lock held.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "common/clock.h"
#include "common/status.h"
#include "core/tensor.h"
#include "runtime/predictor.h"
#include "serving/serving_metrics.h"

namespace ferry::serving {

// max_batch_size meaning "what the model prefers" (runtime::ExecutionHint), see ResolveBatching.
inline constexpr int kAutoBatch = -1;

struct BatchingOptions {
  int max_batch_size = kAutoBatch;  // rows per batch; 0 or 1: no batching
  int64_t max_queue_delay_us = 0;   // how long a partial batch may wait for more rows
  int max_queue_size = 1024;        // queued requests; more complete with kUnavailable
  int workers = 1;                  // threads taking batches
  bool off_loop = false;            // queue requests even without batching
  bool Enabled() const { return max_batch_size > 1; }
  bool Queued() const { return Enabled() || off_loop; }
};

// The options a loaded version runs with: kAutoBatch becomes the model's batch_rows (0: off),
// and a model that waits on worker processes gets at least `concurrency` workers and is never
// run inline (an event loop must not wait on Python).
BatchingOptions ResolveBatching(BatchingOptions o, const runtime::ExecutionHint& hint);

// kInvalidArgument naming the field for negative sizes (other than kAutoBatch) or delays,
// max_queue_size < 1 or workers < 1 when requests are queued.
absl::Status ValidateBatchingOptions(const BatchingOptions& o);

struct BatchResult {
  absl::Status status;
  std::vector<Tensor> inputs;   // the request's inputs, handed back (for the prediction log)
  std::vector<Tensor> outputs;  // one per schema output, this request's rows only
  int64_t queue_us = 0;
  int64_t compute_us = 0;
};
using BatchCallback = std::function<void(BatchResult)>;

class DynamicBatcher {
 public:
  // `metrics` (may be null) receives queue depth and batch sizes; `clock` times queueing and
  // compute and decides deadlines (MonotonicNanos against deadline_ms).
  DynamicBatcher(const runtime::Predictor& predictor, BatchingOptions options, Clock& clock,
                 VersionMetrics* metrics);
  ~DynamicBatcher();  // Drain()s
  DynamicBatcher(const DynamicBatcher&) = delete;
  DynamicBatcher& operator=(const DynamicBatcher&) = delete;

  // Starts the worker threads (no-op when batching is off or already started).
  void Start();
  // `inputs` must have passed CheckInputs and be in a fixed input order (requests with
  // inputs in different orders never share a batch). deadline_ms: CLOCK_MONOTONIC ms, 0 none.
  void Submit(std::vector<Tensor> inputs, int64_t deadline_ms, BatchCallback done);
  // Runs everything queued, then joins the workers. Idempotent; not concurrently with itself
  // (LoadedVersion calls it from Retire and from its destructor, one after the other).
  void Drain();

  const BatchingOptions& options() const { return options_; }
  size_t QueueDepth() const;

 private:
  struct Pending {
    std::vector<Tensor> inputs;
    int64_t deadline_ms = 0;
    int64_t enqueued_ns = 0;
    int64_t rows = 0;
    BatchCallback done;
  };
  using Batch = std::vector<Pending>;

  void RunInline(Pending p);
  void WorkerLoop();
  // Takes the next batch (and expired requests) off the queue.
  void TakeBatch(Batch* batch, Batch* expired) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool FullBatchQueued() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  int64_t BatchRows() const;  // rows one call may take (1 when not batching)
  void Execute(Batch batch);
  void CompleteExpired(Batch expired);
  bool Expired(const Pending& p, int64_t now_ns) const;

  const runtime::Predictor& predictor_;
  const BatchingOptions options_;
  Clock& clock_;
  VersionMetrics* metrics_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Pending> queue_ ABSL_GUARDED_BY(mu_);
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  bool draining_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> workers_;
};

// True when `a` and `b` can share a batch: same input names, datatypes and dims after dim 0,
// every input at least 1-D.
bool BatchCompatible(const std::vector<Tensor>& a, const std::vector<Tensor>& b);
// Concatenates each input along dim 0 across `parts` (all BatchCompatible).
std::vector<Tensor> ConcatBatch(const std::vector<const std::vector<Tensor>*>& parts);
// Splits `outputs` (dim 0 == sum of rows) into one vector per request. kInternal if an output
// does not have that many rows.
absl::StatusOr<std::vector<std::vector<Tensor>>> SplitBatch(std::vector<Tensor> outputs,
                                                            const std::vector<int64_t>& rows);

}  // namespace ferry::serving
