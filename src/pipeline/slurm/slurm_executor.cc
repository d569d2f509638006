#include "pipeline/slurm/slurm_executor.h"

#include <fcntl.h>
#include <unistd.h>

#include <map>
#include <mutex>
#include <optional>
#include <vector>

#include "common/fs.h"
#include "pipeline/slurm/slurm_command.h"
#include "pipeline/slurm/slurm_parse.h"
#include "pipeline/slurm/slurm_script.h"

namespace ferry::pipeline {
namespace {

using Clock = std::chrono::steady_clock;
using slurm::CommandOutput;
using slurm::SlurmCommand;
using slurm::SlurmJobInfo;

// sbatch's refusals of a job that can never run here: the caller's fault, not Slurm's.
constexpr const char* kNeverRuns[] = {
    "Invalid partition",     "Requested node configuration is not available",
    "Memory specification",  "More processors requested than permitted",
    "Invalid account",       "Invalid qos",
    "time limit is invalid", "Requested partition configuration not available"};

bool Contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

bool IsSlurmJobId(const std::string& s) {
  if (s.empty() || s.size() > 20) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

absl::Status WriteScript(const std::string& path, const std::string& text) {
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0700));
  if (!fd.valid()) return ErrnoStatus(errno, "open", "the batch script");
  return WriteAll(fd.get(), text, "the batch script");
}

// What this executor knows of one job it submitted (or was asked about).
struct Tracked {
  int64_t timeout_seconds = 0;   // the script's timeout(1): its exit 124 means kTimedOut
  Clock::time_point changed;     // submitted or cancelled: only a later squeue tells its state
  std::optional<JobStatus> end;  // once final, never asked again
};

class SlurmExecutor : public Executor {
 public:
  SlurmExecutor(SlurmOptions options, std::unique_ptr<SlurmCommand> command)
      : options_(std::move(options)), command_(std::move(command)) {}

  const char* name() const override { return "slurm"; }

  // sbatch must at least start: a missing Slurm is reported when the executor is made, not at
  // the first step.
  absl::Status CheckSbatch() const {
    ASSIGN_OR_RETURN(CommandOutput out, command_->Run({Program(options_.sbatch), "--version"}));
    if (out.exit_code != 0) return SlurmCommand::Failed("sbatch --version", out);
    return absl::OkStatus();
  }

  absl::StatusOr<std::string> Submit(const StepJob& job) override {
    ASSIGN_OR_RETURN(std::string script, slurm::BatchScript(job));
    if (::access(job.argv[0].c_str(), X_OK) != 0) {
      return absl::InvalidArgumentError("no such program: \"" + job.argv[0] + "\"");
    }
    const std::string path = command_->ScratchPath(".sh");
    ASSIGN_OR_RETURN(std::vector<std::string> args,
                     slurm::SbatchArgs(job, options_.partition, path));
    args.insert(args.begin(), Program(options_.sbatch));
    RETURN_IF_ERROR(WriteScript(path, script));
    absl::StatusOr<CommandOutput> out = command_->Run(args);
    ::unlink(path.c_str());
    if (!out.ok()) return out.status();
    if (out->exit_code != 0) return SubmitError(*out);
    ASSIGN_OR_RETURN(std::string id, slurm::ParseSbatchJobId(out->out));
    std::lock_guard<std::mutex> lock(mu_);
    Tracked& t = jobs_[id];
    t.timeout_seconds = job.timeout_seconds;
    t.changed = Clock::now();
    return id;
  }

  absl::StatusOr<JobStatus> Poll(const std::string& handle) override {
    if (!IsSlurmJobId(handle)) return absl::InvalidArgumentError("not a Slurm job id: " + handle);
    std::lock_guard<std::mutex> lock(mu_);
    auto [it, adopted] = jobs_.try_emplace(handle);
    Tracked& t = it->second;
    if (t.end) return *t.end;
    if (adopted) t.changed = Clock::now();
    RETURN_IF_ERROR(RefreshSqueue(t.changed));
    JobStatus status;
    if (auto q = squeue_.find(handle); q != squeue_.end()) {
      status = slurm::ToJobStatus(q->second, t.timeout_seconds);
    } else {
      ASSIGN_OR_RETURN(status, AskAfterSqueue(handle, t.timeout_seconds));
    }
    if (IsFinal(status.state)) t.end = status;
    return status;
  }

  absl::Status Cancel(const std::string& handle) override {
    if (!IsSlurmJobId(handle)) return absl::InvalidArgumentError("not a Slurm job id: " + handle);
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = jobs_.find(handle);
      if (it != jobs_.end() && it->second.end) return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(CommandOutput out, command_->Run({Program(options_.scancel), handle}));
    if (out.exit_code != 0 && !Contains(out.err, "already completing or completed")) {
      if (Contains(out.err, "Invalid job id")) {
        return absl::NotFoundError("Slurm has no job " + handle);
      }
      return SlurmCommand::Failed("scancel", out);
    }
    std::lock_guard<std::mutex> lock(mu_);
    jobs_[handle].changed = Clock::now();
    return absl::OkStatus();
  }

 private:
  std::string Program(const std::string& name) const {
    if (options_.bin_dir.empty() || name.find('/') != std::string::npos) return name;
    return JoinPath(options_.bin_dir, name);
  }

  static absl::Status SubmitError(const CommandOutput& out) {
    for (const char* never : kNeverRuns) {
      if (Contains(out.err, never)) return absl::InvalidArgumentError("sbatch: " + out.err);
    }
    return SlurmCommand::Failed("sbatch", out);
  }

  // One squeue for every job still followed, unless the last one is recent enough and began
  // after `since`.
  absl::Status RefreshSqueue(Clock::time_point since) {
    const Clock::time_point now = Clock::now();
    if (have_squeue_ && squeue_at_ >= since && now - squeue_at_ < options_.poll_interval) {
      return absl::OkStatus();
    }
    std::string ids;
    for (const auto& [id, t] : jobs_) {
      if (!t.end) ids += (ids.empty() ? "" : ",") + id;
    }
    ASSIGN_OR_RETURN(CommandOutput out, command_->Run({Program(options_.squeue), "-h", "-t", "all",
                                                       "-j", ids, "-O", slurm::kSqueueFormat}));
    if (out.exit_code != 0 && !Contains(out.err, "Invalid job id specified")) {
      return SlurmCommand::Failed("squeue", out);
    }
    squeue_ = out.exit_code == 0 ? slurm::ParseSqueue(out.out) : decltype(squeue_)();
    squeue_at_ = now;
    have_squeue_ = true;
    return absl::OkStatus();
  }

  // A job squeue does not list: scontrol still may (until MinJobAge), then sacct (when Slurm
  // keeps accounting). When neither knows it, the job is reported failed, saying so.
  absl::StatusOr<JobStatus> AskAfterSqueue(const std::string& id, int64_t timeout_seconds) {
    ASSIGN_OR_RETURN(CommandOutput out,
                     command_->Run({Program(options_.scontrol), "show", "job", "-o", id}));
    if (out.exit_code == 0) {
      if (auto info = slurm::ParseScontrolJob(out.out)) {
        return slurm::ToJobStatus(*info, timeout_seconds);
      }
    } else if (!Contains(out.err, "Invalid job id")) {
      return SlurmCommand::Failed("scontrol", out);
    }
    absl::StatusOr<CommandOutput> acct = command_->Run(
        {Program(options_.sacct), "-n", "-P", "-X", "-o", "JobID,State,ExitCode", "-j", id});
    if (acct.ok() && acct->exit_code == 0) {
      if (auto info = slurm::ParseSacct(acct->out, id)) {
        return slurm::ToJobStatus(*info, timeout_seconds);
      }
    }
    JobStatus gone;
    gone.state = JobState::kFailed;
    gone.exit_code = -1;
    gone.reason = "Slurm no longer knows job " + id +
                  " (finished longer than MinJobAge ago, and no accounting to ask)";
    return gone;
  }

  const SlurmOptions options_;
  const std::unique_ptr<SlurmCommand> command_;
  std::mutex mu_;  // guards what follows; held while squeue runs, so concurrent polls share it
  std::map<std::string, Tracked> jobs_;
  std::map<std::string, SlurmJobInfo> squeue_;
  Clock::time_point squeue_at_;
  bool have_squeue_ = false;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Executor>> MakeSlurmExecutor(const SlurmOptions& options) {
  ASSIGN_OR_RETURN(TempDir scratch, TempDir::Create("ferry-slurm"));
  auto command = std::make_unique<SlurmCommand>(options.slurm_conf, options.command_timeout,
                                                std::move(scratch));
  auto executor = std::make_unique<SlurmExecutor>(options, std::move(command));
  RETURN_IF_ERROR(executor->CheckSbatch());
  return executor;
}

}  // namespace ferry::pipeline
