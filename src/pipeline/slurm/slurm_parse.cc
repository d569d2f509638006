#include "pipeline/slurm/slurm_parse.h"

#include <vector>

#include "common/strings.h"

namespace ferry::pipeline::slurm {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

bool IsJobId(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if ((c < '0' || c > '9') && c != '_') return false;  // "7_1": an array task
  }
  return true;
}

// "CANCELLED by 0" (sacct) and "CANCELLED+" (truncated sacct columns) -> "CANCELLED".
std::string StateWord(std::string_view s) {
  s = Trim(s);
  size_t end = s.find_first_of(" +");
  return std::string(s.substr(0, end));
}

// squeue's exit_code is the raw wait(2) status: 768 is exit 3, 15 is SIGTERM.
void SetFromWaitStatus(int64_t raw, SlurmJobInfo& info) {
  const int sig = static_cast<int>(raw & 0x7f);
  info.signal = sig;
  info.exit_code = sig != 0 ? 128 + sig : static_cast<int>((raw >> 8) & 0xff);
}

// scontrol's and sacct's ExitCode is "<exit>:<signal>".
bool SetFromExitSignal(std::string_view text, SlurmJobInfo& info) {
  size_t colon = text.find(':');
  if (colon == std::string_view::npos) return false;
  auto code = ParseInt64(text.substr(0, colon));
  auto sig = ParseInt64(text.substr(colon + 1));
  if (!code || !sig || *code < 0 || *sig < 0 || *code > 255 || *sig > 127) return false;
  info.signal = static_cast<int>(*sig);
  info.exit_code = *sig != 0 ? 128 + static_cast<int>(*sig) : static_cast<int>(*code);
  return true;
}

// The value of " Key=" in a `scontrol -o` line, up to the next space.
std::optional<std::string_view> Field(std::string_view line, std::string_view key) {
  std::string needle = " " + std::string(key) + "=";
  size_t at = line.find(needle);
  if (at == std::string_view::npos) {
    if (!StartsWith(line, needle.substr(1))) return std::nullopt;
    at = 0;
  } else {
    at += 1;
  }
  at += key.size() + 1;
  size_t end = line.find(' ', at);
  return line.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
}

bool Is(const std::string& state, std::initializer_list<const char*> names) {
  for (const char* n : names) {
    if (state == n) return true;
  }
  return false;
}

// " (Reason)" when Slurm gave a reason that says more than the state.
std::string ReasonSuffix(const SlurmJobInfo& info) {
  if (info.reason.empty() || info.reason == "None" || info.reason == "NonZeroExitCode") return "";
  return " (" + info.reason + ")";
}

JobStatus Final(JobState state, const SlurmJobInfo& info, std::string reason) {
  JobStatus s;
  s.state = state;
  s.exit_code = info.exit_code;
  s.reason = std::move(reason);
  return s;
}

}  // namespace

absl::StatusOr<std::string> ParseSbatchJobId(std::string_view out) {
  std::string_view s = Trim(out);
  std::string_view id = s.substr(0, s.find(';'));
  if (!IsJobId(id) || id.find('_') != std::string_view::npos) {
    return absl::UnavailableError("sbatch --parsable printed no job id: \"" +
                                  std::string(s.substr(0, 200)) + "\"");
  }
  return std::string(id);
}

std::map<std::string, SlurmJobInfo> ParseSqueue(std::string_view out) {
  std::map<std::string, SlurmJobInfo> jobs;
  for (std::string_view line : SplitString(out, '\n')) {
    std::vector<std::string_view> f = SplitString(Trim(line), '|');
    if (f.size() < 4 || !IsJobId(Trim(f[0]))) continue;
    SlurmJobInfo info;
    info.state = StateWord(f[1]);
    info.reason = std::string(Trim(f[2]));
    auto raw = ParseInt64(Trim(f[3]));
    if (info.state.empty() || !raw || *raw < 0) continue;
    SetFromWaitStatus(*raw, info);
    jobs[std::string(Trim(f[0]))] = std::move(info);
  }
  return jobs;
}

std::optional<SlurmJobInfo> ParseScontrolJob(std::string_view line) {
  line = Trim(line);
  auto state = Field(line, "JobState");
  if (!state || state->empty()) return std::nullopt;
  SlurmJobInfo info;
  info.state = StateWord(*state);
  if (auto reason = Field(line, "Reason")) info.reason = std::string(*reason);
  if (auto code = Field(line, "ExitCode")) SetFromExitSignal(*code, info);
  return info;
}

std::optional<SlurmJobInfo> ParseSacct(std::string_view out, std::string_view job_id) {
  for (std::string_view line : SplitString(out, '\n')) {
    std::vector<std::string_view> f = SplitString(Trim(line), '|');
    if (f.size() < 3 || Trim(f[0]) != job_id) continue;
    SlurmJobInfo info;
    info.state = StateWord(f[1]);
    if (info.state.empty() || !SetFromExitSignal(Trim(f[2]), info)) return std::nullopt;
    return info;
  }
  return std::nullopt;
}

JobStatus ToJobStatus(const SlurmJobInfo& info, int64_t timeout_seconds) {
  const std::string& st = info.state;
  if (Is(st,
         {"PENDING", "CONFIGURING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "RESV_DEL_HOLD"})) {
    JobStatus s;
    s.state = JobState::kQueued;
    if (info.reason != "None") s.reason = info.reason;  // "Resources", "Priority", ...
    return s;
  }
  if (st == "COMPLETED" && info.exit_code == 0) return Final(JobState::kSucceeded, info, "");
  if (st == "FAILED" || st == "COMPLETED") {
    if (timeout_seconds > 0 && info.signal == 0 && info.exit_code == 124) {
      return Final(JobState::kTimedOut, info,
                   "timed out after " + std::to_string(timeout_seconds) + " s");
    }
    std::string what = info.signal != 0 ? "signal " + std::to_string(info.signal)
                                        : "exit " + std::to_string(info.exit_code);
    return Final(JobState::kFailed, info, what + ReasonSuffix(info));
  }
  if (Is(st, {"TIMEOUT", "DEADLINE"})) {
    return Final(JobState::kTimedOut, info, st + " (Slurm time limit)");
  }
  if (st == "CANCELLED") return Final(JobState::kCancelled, info, st + ReasonSuffix(info));
  if (Is(st, {"NODE_FAIL", "OUT_OF_MEMORY", "BOOT_FAIL", "PREEMPTED", "SPECIAL_EXIT", "REVOKED"})) {
    return Final(JobState::kFailed, info, st + ReasonSuffix(info));
  }
  // RUNNING, COMPLETING (the exit code is not final yet), SUSPENDED, STOPPED, SIGNALING,
  // STAGE_OUT, RESIZING, and any state a newer Slurm adds: still running, never final.
  JobStatus s;
  s.state = JobState::kRunning;
  if (!Is(st, {"RUNNING", "COMPLETING"})) s.reason = st;
  return s;
}

}  // namespace ferry::pipeline::slurm
