#pragma once
// The prediction log: a PredictionObserver that appends one JSON line per sampled prediction
// to files under a directory.
//
// OnPrediction samples (sample_rate, from the injected Random), then puts the record in a
// bounded in-memory queue and returns; it never blocks on I/O. When the queue is full the
// record is dropped and counted. One writer thread serialises queued records and hands them to
// a PredictionSink; the default sink writes `predictions-<unix_ms>.jsonl` files and starts a
// new file once the current one would exceed max_file_bytes. The destructor writes everything
// still queued before returning.
//
// Line format: {"deployment","model_name","model_version","request_id","role","time" (unix
// ms),"latency_us","inputs":[...],"outputs":[...]}, each tensor {"name","datatype","shape",
// "data"} with data flat in row-major order (numbers, booleans, or strings for BYTES).
//
// Thread-safe.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "common/clock.h"
#include "common/status.h"
#include "serving/prediction_observer.h"

namespace ferry::serving {

// Where serialised lines go. Called only from the writer thread.
class PredictionSink {
 public:
  virtual ~PredictionSink() = default;
  // `lines` is one or more complete JSON lines, each ending in '\n'.
  virtual absl::Status Write(std::string_view lines) = 0;
};
using PredictionSinkPtr = std::unique_ptr<PredictionSink>;

// Files `predictions-<unix_ms>.jsonl` in `dir`, a new one once the current would exceed
// `max_file_bytes` (a single larger chunk still goes into one file). File names are unique even
// when two rotations fall in the same millisecond.
absl::StatusOr<PredictionSinkPtr> NewFilePredictionSink(std::string dir, int64_t max_file_bytes,
                                                        Clock& clock);

struct PredictionLogOptions {
  std::string directory;
  size_t queue_size = 4096;           // records waiting for the writer
  double sample_rate = 1.0;           // 0..1: share of predictions logged
  int64_t max_file_bytes = 64 << 20;  // rotation size
};

// One record as a JSON line (with the trailing '\n').
std::string PredictionToJsonLine(const PredictionRecord& r);

class PredictionLog : public PredictionObserver {
 public:
  // Opens the directory (created if missing) with the file sink.
  static absl::StatusOr<std::unique_ptr<PredictionLog>> Create(const PredictionLogOptions& options,
                                                               Clock& clock, Random& random);
  // With any sink (tests inject slow or failing ones). Starts the writer thread.
  PredictionLog(const PredictionLogOptions& options, PredictionSinkPtr sink, Random& random);
  ~PredictionLog() override;  // flushes the queue, then stops the writer

  // PredictionObserver
  void OnPrediction(PredictionRecord record) override;

  uint64_t written() const { return written_.load(); }
  uint64_t dropped() const { return dropped_.load(); }
  uint64_t write_errors() const { return write_errors_.load(); }
  // Appends ferry_prediction_log_written_total and ferry_prediction_log_dropped_total.
  void RenderMetrics(std::string* out) const;

 private:
  void WriterLoop();
  bool Sampled();

  const PredictionLogOptions options_;
  PredictionSinkPtr sink_;
  Random& random_;
  std::atomic<uint64_t> written_{0};
  std::atomic<uint64_t> dropped_{0};
  std::atomic<uint64_t> write_errors_{0};

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<PredictionRecord> queue_ ABSL_GUARDED_BY(mu_);
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread writer_;  // last: started after everything above exists
};

}  // namespace ferry::serving
