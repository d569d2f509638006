#include "pipeline/executors/local_executor.h"

#include <signal.h>

#include <thread>

#include "common/process.h"

namespace ferry::pipeline {

using Clock = std::chrono::steady_clock;

struct LocalExecutor::Job {
  StepJob spec;
  int pid = 0;
  JobStatus status;
  Clock::time_point started;
  Clock::time_point killed_at;  // when SIGTERM went to the group (cancel or timeout)
  bool killing = false;
  JobState kill_outcome = JobState::kCancelled;  // what a kill ends in
};

LocalExecutor::LocalExecutor(int concurrency, std::chrono::milliseconds kill_grace)
    : concurrency_(concurrency > 0
                       ? concurrency
                       : std::max(1, static_cast<int>(std::thread::hardware_concurrency()))),
      kill_grace_(kill_grace) {}

LocalExecutor::~LocalExecutor() {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [handle, job] : jobs_) {
    if (job->status.state != JobState::kRunning) continue;
    SignalProcess(job->pid, SIGKILL);
    while (!TryReapProcess(job->pid)) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

absl::StatusOr<std::string> LocalExecutor::Submit(const StepJob& job) {
  if (job.argv.empty()) return absl::InvalidArgumentError("job " + job.id + " has no command");
  if (job.resources.cpus > static_cast<int>(std::thread::hardware_concurrency()) &&
      std::thread::hardware_concurrency() > 0) {
    return absl::InvalidArgumentError(
        "job " + job.id + " asks for " + std::to_string(job.resources.cpus) +
        " cpus; this machine has " + std::to_string(std::thread::hardware_concurrency()));
  }
  std::lock_guard<std::mutex> lock(mu_);
  const std::string handle = "local-" + std::to_string(++next_);
  auto entry = std::make_unique<Job>();
  entry->spec = job;
  jobs_[handle] = std::move(entry);
  queue_.push_back(handle);
  StartQueuedLocked();
  Job& started = *jobs_[handle];
  if (started.status.state == JobState::kFailed && started.pid == 0) {
    absl::Status s = absl::InvalidArgumentError(started.status.reason);
    jobs_.erase(handle);
    return s;
  }
  return handle;
}

void LocalExecutor::StartQueuedLocked() {
  while (running_ < concurrency_ && !queue_.empty()) {
    Job& job = *jobs_[queue_.front()];
    queue_.pop_front();
    SpawnOptions o;
    o.extra_env = job.spec.env;
    o.work_dir = job.spec.work_dir;
    o.output_file = job.spec.log_path;
    absl::StatusOr<int> pid = SpawnProcess(job.spec.argv, o);
    if (!pid.ok()) {
      job.status = {JobState::kFailed, 127, std::string(pid.status().message())};
      continue;
    }
    job.pid = *pid;
    job.started = Clock::now();
    job.status.state = JobState::kRunning;
    ++running_;
  }
}

void LocalExecutor::UpdateLocked(Job& job) {
  if (job.status.state != JobState::kRunning) return;
  if (std::optional<int> code = TryReapProcess(job.pid)) {
    // The group may outlive its leader (a shell's background child): it goes too.
    SignalProcess(job.pid, SIGKILL);
    --running_;
    job.status.exit_code = *code;
    if (job.killing) {
      job.status.state = job.kill_outcome;
      job.status.reason = job.kill_outcome == JobState::kTimedOut ? "timed out" : "cancelled";
    } else if (*code == 0) {
      job.status.state = JobState::kSucceeded;
    } else {
      job.status.state = JobState::kFailed;
      job.status.reason = *code > 128 ? "killed by signal " + std::to_string(*code - 128)
                                      : "exit " + std::to_string(*code);
    }
    StartQueuedLocked();
    return;
  }
  const Clock::time_point now = Clock::now();
  if (!job.killing && job.spec.timeout_seconds > 0 &&
      now - job.started >= std::chrono::seconds(job.spec.timeout_seconds)) {
    job.killing = true;
    job.kill_outcome = JobState::kTimedOut;
    job.killed_at = now;
    SignalProcess(job.pid, SIGTERM);
  } else if (job.killing && now - job.killed_at >= kill_grace_) {
    SignalProcess(job.pid, SIGKILL);
  }
}

absl::StatusOr<JobStatus> LocalExecutor::Poll(const std::string& handle) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = jobs_.find(handle);
  if (it == jobs_.end()) return absl::NotFoundError("no local job " + handle);
  // Every poll moves every job on, so a finished job frees its slot for the queue.
  for (auto& [h, job] : jobs_) UpdateLocked(*job);
  return it->second->status;
}

absl::Status LocalExecutor::Cancel(const std::string& handle) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = jobs_.find(handle);
  if (it == jobs_.end()) return absl::NotFoundError("no local job " + handle);
  Job& job = *it->second;
  if (job.status.state == JobState::kQueued) {
    for (auto q = queue_.begin(); q != queue_.end(); ++q) {
      if (*q == handle) {
        queue_.erase(q);
        break;
      }
    }
    job.status = {JobState::kCancelled, 0, "cancelled before it started"};
  } else if (job.status.state == JobState::kRunning && !job.killing) {
    job.killing = true;
    job.kill_outcome = JobState::kCancelled;
    job.killed_at = Clock::now();
    SignalProcess(job.pid, SIGTERM);
  }
  return absl::OkStatus();
}

}  // namespace ferry::pipeline
