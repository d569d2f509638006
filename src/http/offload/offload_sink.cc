#include "http/offload/offload_sink.h"

#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "common/logging.h"
#include "http/response_writer.h"

namespace ferry::http {

struct OffloadSink::State {
  explicit State(std::unique_ptr<BodySink> sink, size_t max)
      : inner(std::move(sink)), max_queued(max) {}

  std::unique_ptr<BodySink> inner;  // used by the running job only (or by Abort's fallback)
  const size_t max_queued;
  std::mutex mu;
  std::deque<std::string> queue ABSL_GUARDED_BY(mu);
  size_t queued ABSL_GUARDED_BY(mu) = 0;  // bytes queued or being written
  absl::Status error ABSL_GUARDED_BY(mu);
  bool running ABSL_GUARDED_BY(mu) = false;  // a job is submitted or running
  bool paused ABSL_GUARDED_BY(mu) = false;   // Accepting() said no: wake when there is room
  bool aborted ABSL_GUARDED_BY(mu) = false;
  Waker waker ABSL_GUARDED_BY(mu);
  std::optional<Responder> finish ABSL_GUARDED_BY(mu);  // set by FinishAsync()
};

namespace {

using State = OffloadSink::State;

absl::Status GuardedWrite(BodySink& sink, std::string_view chunk) {
  try {
    return sink.Write(chunk);
  } catch (const std::exception& e) {
    return absl::InternalError(std::string("upload failed: ") + e.what());
  } catch (...) {
    return absl::InternalError("upload failed");
  }
}

void AbortInner(State& state) {
  try {
    if (state.inner) state.inner->Abort();
  } catch (...) {
    LogError("BodySink::Abort threw", {});
  }
  state.inner.reset();
}

// Answers the upload once everything queued is written: the inner sink's answer, or the
// first write error (the inner sink is then aborted).
void Answer(State& state, Responder responder, absl::Status error) {
  if (!error.ok()) {
    AbortInner(state);
    return responder.Send(SinkErrorResponse(error));
  }
  try {
    state.inner->FinishAsync(std::move(responder));
  } catch (const std::exception& e) {
    LogError("BodySink::Finish threw", {{"what", e.what()}});
  }
  state.inner.reset();  // an unanswered Responder answers 500 itself
}

// The worker job: writes the queue in order, then answers or aborts if asked to; ends when
// the queue is empty (Hand() starts another).
void Drain(const std::shared_ptr<State>& state) {
  std::unique_lock<std::mutex> lock(state->mu);
  while (true) {
    if (state->aborted) {
      state->queue.clear();
      state->queued = 0;
      lock.unlock();
      return AbortInner(*state);
    }
    if (!state->queue.empty()) {
      std::string chunk = std::move(state->queue.front());
      state->queue.pop_front();
      const bool failed = !state->error.ok();
      lock.unlock();
      absl::Status status = failed ? absl::OkStatus() : GuardedWrite(*state->inner, chunk);
      const size_t size = chunk.size();
      std::string().swap(chunk);  // freed before the loop may queue more
      lock.lock();
      state->queued -= size;
      if (!status.ok() && state->error.ok()) state->error = status;
      if (state->paused && (state->queued < state->max_queued || !state->error.ok())) {
        state->paused = false;
        Waker waker = state->waker;
        lock.unlock();
        waker.Wake();
        lock.lock();
      }
      continue;
    }
    if (state->finish) {
      Responder responder = std::move(*state->finish);
      state->finish.reset();
      absl::Status error = state->error;
      lock.unlock();
      return Answer(*state, std::move(responder), std::move(error));
    }
    state->running = false;
    return;
  }
}

}  // namespace

OffloadSink::OffloadSink(std::unique_ptr<BodySink> inner, JobRunner run, OffloadSinkOptions options)
    : state_(std::make_shared<State>(std::move(inner), options.max_queued_bytes)),
      run_(std::move(run)),
      options_(std::move(options)) {}

OffloadSink::~OffloadSink() {
  if (!done_) Abort();
}

absl::Status OffloadSink::Write(std::string_view chunk) {
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    if (!state_->error.ok()) return state_->error;
  }
  pending_.append(chunk);
  if (pending_.size() < options_.chunk_bytes) return absl::OkStatus();
  return Hand();
}

absl::Status OffloadSink::Hand() {
  size_t queued = 0;
  bool start = false;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    if (!pending_.empty()) {
      state_->queued += pending_.size();
      state_->queue.push_back(std::move(pending_));
      pending_ = std::string();
    }
    queued = state_->queued;
    start = !state_->running;
    state_->running = true;
  }
  if (options_.on_queued) options_.on_queued(queued);
  if (!start) return absl::OkStatus();
  absl::Status submitted = run_([state = state_] { Drain(state); });
  if (!submitted.ok()) {
    std::lock_guard<std::mutex> lock(state_->mu);
    state_->running = false;
  }
  return submitted;
}

bool OffloadSink::Accepting(const Waker& waker) {
  std::lock_guard<std::mutex> lock(state_->mu);
  if (!state_->error.ok() || state_->queued < state_->max_queued) return true;
  state_->paused = true;
  state_->waker = waker;
  return false;
}

HttpResponse OffloadSink::Finish() {
  return JsonErrorResponse(500, "INTERNAL_ERROR", "OffloadSink answers through FinishAsync");
}

void OffloadSink::FinishAsync(Responder responder) {
  done_ = true;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    state_->finish = std::move(responder);
  }
  absl::Status handed = Hand();  // the last piece, and a job to answer
  if (handed.ok()) return;
  // No worker took the job (so none runs): answer here, and abort the inner sink on this
  // thread.
  std::optional<Responder> unanswered;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    unanswered = std::move(state_->finish);
    state_->finish.reset();
    state_->aborted = true;
  }
  if (unanswered) unanswered->Send(SinkErrorResponse(handed));
  LogWarn("upload aborted on the event loop: the worker queue is full", {});
  AbortInner(*state_);
}

void OffloadSink::Abort() {
  done_ = true;
  pending_.clear();
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    state_->aborted = true;
    if (state_->running) return;  // the job sees `aborted` and aborts the inner sink
    state_->running = true;
  }
  absl::Status submitted = run_([state = state_] { Drain(state); });
  if (submitted.ok()) return;
  LogWarn("upload aborted on the event loop: the worker queue is full", {});
  AbortInner(*state_);
}

}  // namespace ferry::http
