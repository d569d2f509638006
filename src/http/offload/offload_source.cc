#include "http/offload/offload_source.h"

#include <cstring>
#include <deque>
#include <exception>
#include <mutex>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "common/logging.h"

namespace ferry::http {

struct OffloadSource::State {
  State(std::unique_ptr<BodySource> source, OffloadSourceOptions o)
      : inner(std::move(source)), options(o) {}

  std::unique_ptr<BodySource> inner;  // used by the running job only
  const OffloadSourceOptions options;
  std::mutex mu;
  std::deque<std::string> ready ABSL_GUARDED_BY(mu);  // read ahead, not yet taken
  size_t front_used ABSL_GUARDED_BY(mu) = 0;          // bytes of ready.front() taken
  bool end ABSL_GUARDED_BY(mu) = false;               // the inner source returned 0
  absl::Status error ABSL_GUARDED_BY(mu);
  bool running ABSL_GUARDED_BY(mu) = false;    // a job is submitted or running
  bool cancelled ABSL_GUARDED_BY(mu) = false;  // the source was destroyed
  bool waiting ABSL_GUARDED_BY(mu) = false;    // Poll() said no: wake when something is ready
  Waker waker ABSL_GUARDED_BY(mu);

  bool Full() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) { return ready.size() >= options.max_chunks; }
  bool Done() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) { return end || !error.ok(); }
};

namespace {

using State = OffloadSource::State;

// Fills one chunk from the inner source: short only at its end.
absl::StatusOr<std::string> ReadChunk(BodySource& source, size_t size) {
  std::string chunk(size, '\0');
  size_t got = 0;
  try {
    while (got < size) {
      ASSIGN_OR_RETURN(size_t n, source.Read(chunk.data() + got, size - got));
      if (n == 0) break;
      got += n;
    }
  } catch (const std::exception& e) {
    return absl::InternalError(std::string("download failed: ") + e.what());
  }
  chunk.resize(got);
  return chunk;
}

// The worker job: reads ahead until the buffers are full, the end or an error, waking the
// loop when it waits; returns at once if the source was destroyed meanwhile.
void Fill(const std::shared_ptr<State>& state) {
  std::unique_lock<std::mutex> lock(state->mu);
  while (!state->cancelled && !state->Done() && !state->Full()) {
    lock.unlock();
    absl::StatusOr<std::string> chunk = ReadChunk(*state->inner, state->options.chunk_bytes);
    lock.lock();
    if (!chunk.ok()) {
      state->error = chunk.status();
    } else {
      if (chunk->size() < state->options.chunk_bytes) state->end = true;
      if (!chunk->empty()) state->ready.push_back(*std::move(chunk));
    }
    if (state->waiting) {
      state->waiting = false;
      Waker waker = state->waker;
      lock.unlock();
      waker.Wake();
      lock.lock();
    }
  }
  state->running = false;
  if (state->cancelled) {
    lock.unlock();
    state->inner.reset();  // here, not on the loop
  }
}

}  // namespace

OffloadSource::OffloadSource(std::unique_ptr<BodySource> inner, JobRunner run,
                             OffloadSourceOptions options)
    : run_(std::move(run)), size_(inner->size()) {
  if (options.chunk_bytes == 0) options.chunk_bytes = 1;
  if (options.max_chunks == 0) options.max_chunks = 1;
  state_ = std::make_shared<State>(std::move(inner), options);
}

OffloadSource::~OffloadSource() {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->cancelled = true;
  state_->ready.clear();
}

void OffloadSource::Start() {
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    if (state_->running || state_->Done() || state_->Full()) return;
    state_->running = true;
  }
  if (run_([state = state_] { Fill(state); }).ok()) return;
  // No worker took the job: read one chunk here rather than fail a download in progress.
  LogWarn("download read on the event loop: the worker queue is full", {});
  absl::StatusOr<std::string> chunk = ReadChunk(*state_->inner, state_->options.chunk_bytes);
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->running = false;
  if (!chunk.ok()) {
    state_->error = chunk.status();
    return;
  }
  if (chunk->size() < state_->options.chunk_bytes) state_->end = true;
  if (!chunk->empty()) state_->ready.push_back(*std::move(chunk));
}

bool OffloadSource::Poll(const Waker& waker) {
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    if (!state_->ready.empty() || state_->Done()) return true;
    state_->waiting = true;
    state_->waker = waker;
  }
  Start();  // normally running already; the fallback may have read a chunk inline
  std::lock_guard<std::mutex> lock(state_->mu);
  if (state_->ready.empty() && !state_->Done()) return false;
  state_->waiting = false;
  return true;
}

absl::StatusOr<size_t> OffloadSource::Read(char* buf, size_t n) {
  size_t taken = 0;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    if (state_->ready.empty()) {
      if (!state_->error.ok()) return state_->error;
      if (state_->end) return 0;
      return absl::UnavailableError("OffloadSource::Read before Poll() said ready");
    }
    const std::string& front = state_->ready.front();
    taken = std::min(n, front.size() - state_->front_used);
    std::memcpy(buf, front.data() + state_->front_used, taken);
    state_->front_used += taken;
    if (state_->front_used < front.size()) return taken;
    state_->ready.pop_front();
    state_->front_used = 0;
  }
  Start();  // a buffer is free: read the next one ahead
  return taken;
}

}  // namespace ferry::http
