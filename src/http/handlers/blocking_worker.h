#pragma once
// A few threads with a bounded queue, for handler work too slow for an event loop: a package
// import and verification (seconds per GB), the decoding and running of a large inference
// body. TrySubmit() never blocks the caller: when every thread is busy and the queue is full
// it returns kUnavailable, which handlers answer 503 + Retry-After (http/status_mapping.h).
// Jobs answer their request themselves, through a Responder or Reply (thread-safe).

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "common/status.h"

namespace ferry::http {

class BlockingWorker {
 public:
  // `threads` >= 1 run jobs; up to `max_queued` more wait for a thread.
  BlockingWorker(std::string name, int threads, size_t max_queued);
  // Lets running jobs finish and joins the threads. Queued jobs are destroyed unrun (a
  // Responder they hold then answers 500), so stop the server first.
  ~BlockingWorker();
  BlockingWorker(const BlockingWorker&) = delete;
  BlockingWorker& operator=(const BlockingWorker&) = delete;

  // Queues `job`, or returns kUnavailable ("server busy: ...") when the queue is full.
  absl::Status TrySubmit(std::function<void()> job);

 private:
  void Run();

  const std::string name_;
  const size_t max_queued_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  size_t running_ ABSL_GUARDED_BY(mu_) = 0;  // jobs being run
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  std::vector<std::thread> threads_;
};

}  // namespace ferry::http
