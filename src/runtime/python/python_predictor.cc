#include "runtime/python/python_predictor.h"

#include <poll.h>

#include <algorithm>

#include "common/logging.h"
#include "common/strings.h"
#include "runtime/python/worker_tensors.h"

namespace ferry::runtime::python {
namespace {

constexpr int kMaxCrashStreak = 5;  // past it the pool is not ready
constexpr auto kPingEvery = std::chrono::seconds(1);
constexpr auto kPingTimeout = std::chrono::seconds(5);
constexpr auto kSuperviseTick = std::chrono::milliseconds(50);
// How long idle workers have to exit after SHUTDOWN (their atexit handlers run) before they
// are killed. Unloads run off the event loops (serving's ModelManager), so this may be long.
constexpr auto kShutdownGrace = std::chrono::seconds(2);

// No wait before the first restart (a worker is back at once), then 250 ms doubling to 30 s.
std::chrono::milliseconds Backoff(int streak) {
  if (streak <= 1) return std::chrono::milliseconds(0);
  const int shift = std::min(streak - 2, 7);
  return std::min(std::chrono::milliseconds(250 << shift), std::chrono::milliseconds(30000));
}

int64_t Micros(std::chrono::steady_clock::duration d) {
  return std::chrono::duration_cast<std::chrono::microseconds>(d).count();
}

}  // namespace

PythonPredictor::PythonPredictor(PoolConfig config)
    : config_(std::move(config)), schema_(config_.schema) {}

absl::StatusOr<std::unique_ptr<PythonWorker>> PythonPredictor::StartWorker(Frame* reply) const {
  return PythonWorker::Start(config_.launch, config_.load, Clock::now() + config_.load_timeout,
                             reply);
}

absl::StatusOr<std::unique_ptr<PythonPredictor>> PythonPredictor::Start(PoolConfig config) {
  std::unique_ptr<PythonPredictor> pool(new PythonPredictor(std::move(config)));
  const size_t n = static_cast<size_t>(std::max(1, pool->config_.workers));
  // The workers load in parallel (a load is mostly the interpreter importing numpy & co.).
  std::vector<absl::StatusOr<std::unique_ptr<PythonWorker>>> started(n);
  std::vector<Frame> replies(n);
  std::vector<std::thread> starters;
  for (size_t i = 1; i < n; ++i) {
    starters.emplace_back([&, i] { started[i] = pool->StartWorker(&replies[i]); });
  }
  started[0] = pool->StartWorker(&replies[0]);
  for (std::thread& t : starters) t.join();
  pool->slots_.resize(n);
  for (size_t i = 0; i < n; ++i) {
    if (!started[i].ok()) return started[i].status();
    pool->slots_[i].worker = *std::move(started[i]);
    pool->slots_[i].state = SlotState::kIdle;
    pool->slots_[i].last_ping = Clock::now();
  }
  const Frame& warm = replies[0];
  pool->load_info_ = warm.params;
  pool->output_kind_ = ParseOutputKind(warm.Param("kind"));
  if (warm.Param("mode") == "numpy") pool->input_mode_ = "numpy";
  if (pool->schema_.outputs.empty()) pool->schema_.outputs = OutputSpecs(warm.tensors);
  pool->supervisor_ = std::thread([p = pool.get()] { p->Supervise(); });
  return pool;
}

PythonPredictor::~PythonPredictor() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  supervisor_cv_.notify_all();
  if (supervisor_.joinable()) supervisor_.join();
  // Idle workers get SHUTDOWN and a moment to exit on their own (a model's atexit handlers
  // run); whatever is left is killed and reaped by the workers' destructors.
  const Clock::time_point deadline = Clock::now() + kShutdownGrace;
  Frame shutdown;
  shutdown.type = FrameType::kShutdown;
  const std::string bytes = EncodeFrame(shutdown);
  std::vector<WorkerProcess*> leaving;
  for (Slot& slot : slots_) {
    if (slot.state != SlotState::kIdle) continue;
    if (SendFrameBytes(slot.worker->process().socket_fd(), bytes, deadline).ok()) {
      leaving.push_back(&slot.worker->process());
    }
  }
  int exited = 0;
  for (WorkerProcess* process : leaving) {
    while (!process->TryReap() && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    if (process->TryReap()) ++exited;
  }
  // The rest (busy, hung or slow to exit) are killed by their PythonWorkers' destructors.
  int live = 0;
  for (const Slot& slot : slots_) live += slot.worker != nullptr;
  LogInfo("python_workers_stopped",
          {{"exited", std::to_string(exited)}, {"killed", std::to_string(live - exited)}});
}

absl::StatusOr<size_t> PythonPredictor::Acquire(Clock::time_point deadline) const {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    bool live = false;
    for (size_t i = 0; i < slots_.size(); ++i) {
      if (slots_[i].state == SlotState::kIdle) {
        slots_[i].state = SlotState::kBusy;
        return i;
      }
      live |= slots_[i].state == SlotState::kBusy;
    }
    if (!live) {
      return absl::UnavailableError(
          StrCat("no live Python worker (restarting after: ", last_failure_, ")"));
    }
    if (idle_cv_.wait_until(lock, deadline) == std::cv_status::timeout &&
        Clock::now() >= deadline) {
      return absl::DeadlineExceededError(kDeadlineMessage);
    }
  }
}

void PythonPredictor::MarkDown(Slot& slot, std::string reason) const {
  slot.state = SlotState::kDown;
  slot.worker.reset();  // kills and reaps
  ++crash_streak_;
  last_failure_ = std::move(reason);
  slot.restart_at = Clock::now() + Backoff(crash_streak_);
  LogWarn("python worker down", {{"reason", last_failure_}});
  supervisor_cv_.notify_all();
  idle_cv_.notify_all();  // waiters re-check whether any worker is still live
}

std::string PythonPredictor::Release(size_t index, const absl::Status& call) const {
  std::lock_guard<std::mutex> lock(mu_);
  Slot& slot = slots_[index];
  if (slot.worker->dead()) {
    std::string reason = StrCat(StatusMessage(call), "; ", slot.worker->Obituary());
    MarkDown(slot, reason);
    return reason;
  }
  if (call.ok()) crash_streak_ = 0;
  slot.state = SlotState::kIdle;
  idle_cv_.notify_one();
  return {};
}

absl::Status PythonPredictor::Call(const std::vector<Tensor>& inputs, Frame& reply,
                                   Clock::time_point start) const {
  const Clock::time_point deadline = start + config_.request_timeout;
  ASSIGN_OR_RETURN(size_t index, Acquire(deadline));
  queue_us_ += Micros(Clock::now() - start);
  Frame request;
  request.type = FrameType::kPredict;
  absl::Status status = PrepareInputs(schema_, inputs, request.tensors);
  if (status.ok()) {
    CallTimes times;
    absl::StatusOr<Frame> answer = slots_[index].worker->Call(request, deadline, &times);
    ipc_us_ += times.ipc_us;
    worker_us_ += times.python_us;
    if (answer.ok()) reply = *std::move(answer);
    status = answer.status();
  }
  const std::string death = Release(index, status);
  if (status.code() == absl::StatusCode::kDeadlineExceeded) {
    return absl::DeadlineExceededError(kDeadlineMessage);
  }
  if (!death.empty()) {
    return absl::UnavailableError(
        StrCat("the Python worker failed (", death, "); it is being restarted"));
  }
  return status;
}

absl::Status PythonPredictor::Predict(const std::vector<Tensor>& inputs,
                                      std::vector<Tensor>& outputs) const {
  const Clock::time_point start = Clock::now();
  Frame reply;
  absl::Status status = Call(inputs, reply, start);
  if (status.ok()) status = TakeOutputs(reply, BatchRows(inputs), outputs);
  ++requests_;
  if (!status.ok()) ++failures_;
  return status;
}

absl::Status PythonPredictor::TakeOutputs(Frame& reply, int64_t rows,
                                          std::vector<Tensor>& outputs) const {
  const OutputKind kind = ParseOutputKind(reply.Param("kind"));
  output_kind_ = kind;
  outputs = std::move(reply.tensors);
  if (kind != OutputKind::kScalar && kind != OutputKind::kDict) {
    for (const Tensor& t : outputs) {
      if (t.shape.empty() || t.shape[0] != rows) {
        return absl::InternalError(StrCat("the model returned ", OutputKindName(kind), " \"",
                                          t.name, "\" of shape ", ShapeString(t.shape), " for ",
                                          rows, " input rows"));
      }
    }
  }
  // An array's or a list's output name is made up ("predictions"): the schema's replaces it.
  // A Series', a DataFrame's or a dict's names are the model's data and stay.
  const bool made_up =
      kind == OutputKind::kNdarray || kind == OutputKind::kList || kind == OutputKind::kScalar;
  if (made_up && outputs.size() == schema_.outputs.size()) {
    for (size_t i = 0; i < outputs.size(); ++i) outputs[i].name = schema_.outputs[i].name;
  }
  return absl::OkStatus();
}

absl::Status PythonPredictor::Ready() const {
  std::lock_guard<std::mutex> lock(mu_);
  int live = 0;
  for (const Slot& slot : slots_) {
    live += slot.state == SlotState::kIdle || slot.state == SlotState::kBusy;
  }
  if (live > 0 && crash_streak_ < kMaxCrashStreak) return absl::OkStatus();
  return absl::UnavailableError(StrCat("Python workers not ready (", live, " of ", slots_.size(),
                                       " live, ", crash_streak_,
                                       " failures in a row); last: ", last_failure_));
}

ExecutionHint PythonPredictor::Execution() const {
  return {static_cast<int>(slots_.size()), config_.batch_by_default ? kDefaultBatchRows : 0};
}

WorkerPoolStats PythonPredictor::stats() const {
  WorkerPoolStats s;
  s.workers = static_cast<int>(slots_.size());
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const Slot& slot : slots_) {
      s.live_workers += slot.state == SlotState::kIdle || slot.state == SlotState::kBusy;
    }
  }
  s.restarts = restarts_;
  s.requests = requests_;
  s.failures = failures_;
  s.queue_us = queue_us_;
  s.ipc_us = ipc_us_;
  s.worker_us = worker_us_;
  return s;
}

std::vector<int> PythonPredictor::WorkerPids() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<int> pids;
  for (const Slot& slot : slots_) {
    if (slot.worker) pids.push_back(slot.worker->process().pid());
  }
  return pids;
}

void PythonPredictor::RestartDue(std::unique_lock<std::mutex>& lock) {
  for (Slot& slot : slots_) {
    if (slot.state != SlotState::kDown || Clock::now() < slot.restart_at || stopping_) continue;
    slot.state = SlotState::kStarting;
    lock.unlock();
    Frame reply;
    absl::StatusOr<std::unique_ptr<PythonWorker>> worker = StartWorker(&reply);
    lock.lock();
    if (!worker.ok()) {
      slot.state = SlotState::kDown;
      ++crash_streak_;
      last_failure_ = std::string(StatusMessage(worker.status()));
      slot.restart_at = Clock::now() + Backoff(crash_streak_);
      LogWarn("python worker restart failed", {{"reason", last_failure_}});
      continue;
    }
    slot.worker = *std::move(worker);
    slot.state = SlotState::kIdle;
    slot.last_ping = Clock::now();
    ++restarts_;
    idle_cv_.notify_all();
  }
}

void PythonPredictor::PingIdle(std::unique_lock<std::mutex>& lock) {
  for (Slot& slot : slots_) {
    if (!slot.worker) continue;
    slot.worker->process().DrainStderr();
    if (slot.state != SlotState::kIdle) continue;
    // An idle worker has nothing to say: a readable or hung-up socket means it died.
    pollfd p{slot.worker->process().socket_fd(), POLLIN, 0};
    if (poll(&p, 1, 0) > 0) {
      slot.worker->Kill();
      MarkDown(slot, StrCat("idle worker closed its socket or wrote to it unasked; ",
                            slot.worker->Obituary()));
      continue;
    }
    if (Clock::now() - slot.last_ping < kPingEvery) continue;
    slot.state = SlotState::kBusy;
    slot.last_ping = Clock::now();
    PythonWorker* worker = slot.worker.get();
    lock.unlock();
    Frame ping;
    ping.type = FrameType::kPing;
    absl::Status status = worker->Call(ping, Clock::now() + kPingTimeout, nullptr).status();
    lock.lock();
    if (worker->dead()) {
      MarkDown(slot, StrCat("health check: ", StatusMessage(status), "; ", worker->Obituary()));
    } else {
      slot.state = SlotState::kIdle;
      idle_cv_.notify_one();
    }
  }
}

void PythonPredictor::Supervise() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    RestartDue(lock);
    if (stopping_) break;
    PingIdle(lock);
    supervisor_cv_.wait_for(lock, kSuperviseTick);
  }
}

}  // namespace ferry::runtime::python
