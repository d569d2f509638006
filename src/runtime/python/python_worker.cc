#include "runtime/python/python_worker.h"

#include <signal.h>
#include <sys/time.h>

#include <chrono>

#include "common/strings.h"

namespace ferry::runtime::python {
namespace {

uint64_t WallDeadlineUs(Deadline deadline) {
  const auto left = deadline - std::chrono::steady_clock::now();
  const auto wall = std::chrono::system_clock::now() + left;
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(wall.time_since_epoch()).count());
}

int64_t MicrosSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                               start)
      .count();
}

}  // namespace

std::string PythonErrorText(const Frame& error) {
  std::string type(error.Param("type"));
  return StrCat(type.empty() ? "Exception" : type, ": ", error.Param("message"));
}

absl::StatusOr<std::unique_ptr<PythonWorker>> PythonWorker::Start(const WorkerLaunch& launch,
                                                                  const Frame& load,
                                                                  Deadline deadline, Frame* reply) {
  ASSIGN_OR_RETURN(std::unique_ptr<WorkerProcess> process, WorkerProcess::Spawn(launch));
  std::unique_ptr<PythonWorker> worker(new PythonWorker(std::move(process)));
  absl::StatusOr<Frame> answer = worker->Exchange(load, deadline);
  if (!answer.ok()) {
    return absl::Status(answer.status().code(),
                        StrCat("the Python worker did not load the model: ",
                               StatusMessage(answer.status()), "; ", worker->Obituary()));
  }
  if (answer->type == FrameType::kError) {
    worker->Kill();
    std::string text = StrCat("loading the model failed: ", PythonErrorText(*answer));
    return absl::FailedPreconditionError(text);
  }
  *reply = *std::move(answer);
  return worker;
}

absl::StatusOr<Frame> PythonWorker::Exchange(const Frame& request, Deadline deadline,
                                             ArenaSpan arena) {
  if (dead_) return absl::UnavailableError("the Python worker is dead");
  absl::StatusOr<Frame> reply = [&]() -> absl::StatusOr<Frame> {
    RETURN_IF_ERROR(SendFrameBytes(process_->socket_fd(), EncodeFrame(request, arena), deadline));
    ASSIGN_OR_RETURN(std::string bytes, RecvFrameBytes(process_->socket_fd(), deadline));
    ASSIGN_OR_RETURN(Frame frame, DecodeFrame(bytes));
    if (frame.type != FrameType::kResult && frame.type != FrameType::kError) {
      return absl::InvalidArgumentError(
          StrCat("worker frame: a ", FrameTypeName(frame.type), " frame where a reply belongs"));
    }
    // An ERROR with id 0 answers a request the worker could not read at all.
    const bool unread = frame.type == FrameType::kError && frame.request_id == 0;
    if (frame.request_id != request.request_id && !unread) {
      return absl::InvalidArgumentError(StrCat("worker frame: reply to request ", frame.request_id,
                                               ", expected ", request.request_id));
    }
    return frame;
  }();
  if (!reply.ok()) Kill();
  return reply;
}

absl::StatusOr<Frame> PythonWorker::Call(Frame& request, Deadline deadline, CallTimes* times) {
  const auto start = std::chrono::steady_clock::now();
  request.request_id = next_id_++;
  request.deadline_us = WallDeadlineUs(deadline);
  // Bulk tensors go through the shared arena; the frame says how large it is now, so the
  // worker re-maps it after it grew. Without an arena (it could not grow) they go inline.
  ArenaSpan arena;
  if (const uint64_t bulk = ArenaBytesNeeded(request); bulk > 0) {
    absl::StatusOr<ArenaSpan> span = process_->Arena(bulk);
    if (span.ok()) {
      arena = *span;
      request.params.emplace_back("arena_size", std::to_string(arena.size));
    }
  }
  ASSIGN_OR_RETURN(Frame reply, Exchange(request, deadline, arena));
  const int64_t total = MicrosSince(start);
  int64_t py_us = 0;
  for (char c : reply.Param("py_us"))
    py_us = (c >= '0' && c <= '9') ? py_us * 10 + (c - '0') : py_us;
  if (times != nullptr) {
    times->python_us = py_us;
    times->ipc_us = std::max<int64_t>(0, total - py_us);
  }
  if (reply.type == FrameType::kError) {
    // As MLflow's scoring server answers an exception raised by predict: 400 BAD_REQUEST with
    // this sentence; the Python error follows it here (MLflow puts it in stack_trace).
    return absl::InvalidArgumentError(std::string(kPredictErrorMessage) + " " +
                                      PythonErrorText(reply));
  }
  return reply;
}

void PythonWorker::Kill() {
  dead_ = true;
  process_->Kill();
}

std::string PythonWorker::Obituary() {
  Kill();
  const int status = process_->Reap();
  std::string how =
      status > 128 ? StrCat("killed by signal ", status - 128) : StrCat("exit status ", status);
  std::string tail = process_->StderrTail();
  if (tail.size() > 2000) tail = "..." + tail.substr(tail.size() - 2000);
  return tail.empty() ? how : StrCat(how, "; its output ended with: ", tail);
}

}  // namespace ferry::runtime::python
