#pragma once
// A BodySink whose writes run on another thread: the artifact proxy's S3 upload (an 8 MiB
// part is one blocking PUT) must not hold the event loop that reads every other connection.
//
// The loop side gathers body pieces into chunks of `chunk_bytes` and queues them; one job at
// a time (run through a JobRunner, a BlockingWorker) writes the queue to the inner sink in
// order. Once `max_queued_bytes` are queued, Accepting() answers false and the connection
// stops reading the client until the job has written enough to make room (backpressure: an
// upload holds at most max_queued_bytes + chunk_bytes + one read here, besides what the inner
// sink keeps). A failed inner Write() is reported by the next Write() or by the answer.
// FinishAsync() answers once the queue is written, with the inner sink's FinishAsync() on the
// worker. Abort() (client gone, bad body) drops the queue and runs the inner Abort() on the
// worker too; the loop never waits for the worker, which owns what it still needs.

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "http/http_types.h"

namespace ferry::http {

struct OffloadSinkOptions {
  size_t chunk_bytes = size_t{1} << 20;
  size_t max_queued_bytes = size_t{8} << 20;
  // Called on the loop thread with the queued bytes each time a chunk is queued (tests and
  // metrics watch the bound).
  std::function<void(size_t queued_bytes)> on_queued;
};

class OffloadSink : public BodySink {
 public:
  OffloadSink(std::unique_ptr<BodySink> inner, JobRunner run, OffloadSinkOptions options = {});
  ~OffloadSink() override;  // Abort() unless finished or aborted
  OffloadSink(const OffloadSink&) = delete;
  OffloadSink& operator=(const OffloadSink&) = delete;

  // BodySink
  absl::Status Write(std::string_view chunk) override;
  bool Accepting(const Waker& waker) override;
  HttpResponse Finish() override;  // unused: FinishAsync() answers
  void FinishAsync(Responder responder) override;
  void Abort() override;

  struct State;  // shared with the worker job

 private:
  absl::Status Hand();  // queues pending_ and makes sure a job runs

  std::shared_ptr<State> state_;
  const JobRunner run_;
  const OffloadSinkOptions options_;
  std::string pending_;  // loop side: the chunk being gathered
  bool done_ = false;    // finished or aborted
};

}  // namespace ferry::http
