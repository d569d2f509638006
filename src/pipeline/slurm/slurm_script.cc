#include "pipeline/slurm/slurm_script.h"

namespace ferry::pipeline::slurm {
namespace {

bool IsShellName(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
      return false;
    }
  }
  return true;
}

absl::Status CheckPath(std::string_view field, const std::string& path) {
  if (path.empty() || path[0] != '/') {
    return absl::InvalidArgumentError(std::string(field) + " must be an absolute path");
  }
  if (path.find('\\') != std::string::npos || path.find('\n') != std::string::npos) {
    return absl::InvalidArgumentError(std::string(field) +
                                      " must not contain a backslash or a newline on Slurm");
  }
  return absl::OkStatus();
}

// Slurm expands %j, %x, ... in --output/--error; "%%" is a literal '%'.
std::string EscapePercent(const std::string& path) {
  std::string out;
  for (char c : path) {
    out += c;
    if (c == '%') out += '%';
  }
  return out;
}

}  // namespace

std::string ShellQuote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  out += '\'';
  return out;
}

absl::StatusOr<std::string> BatchScript(const StepJob& job) {
  if (job.argv.empty()) return absl::InvalidArgumentError("the step has an empty command line");
  if (job.argv[0].empty() || job.argv[0][0] != '/') {
    return absl::InvalidArgumentError("argv[0] must be an absolute path: \"" + job.argv[0] + "\"");
  }
  std::string script = "#!/bin/sh\n# Ferry step job " + SlurmJobName(job.id) + "\n";
  for (const auto& [name, value] : job.env) {
    if (!IsShellName(name)) {
      return absl::InvalidArgumentError("environment variable name \"" + name +
                                        "\" is not a shell identifier");
    }
    script += "export " + name + "=" + ShellQuote(value) + "\n";
  }
  script += "exec";
  if (job.timeout_seconds > 0) {
    // SIGTERM at the deadline, SIGKILL 10 s later; timeout(1) then exits 124.
    script += " timeout --kill-after=10 " + std::to_string(job.timeout_seconds);
  }
  for (const std::string& arg : job.argv) script += " " + ShellQuote(arg);
  script += "\n";
  return script;
}

std::string SlurmJobName(std::string_view id) {
  std::string out;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    out += ok ? c : '_';
  }
  return out.empty() ? "ferry-step" : out;
}

int64_t TimeLimitMinutes(int64_t timeout_seconds) {
  if (timeout_seconds <= 0) return 0;
  return (timeout_seconds + 59) / 60 + 1;
}

absl::StatusOr<std::vector<std::string>> SbatchArgs(const StepJob& job,
                                                    const std::string& default_partition,
                                                    const std::string& script_path) {
  RETURN_IF_ERROR(CheckPath("work_dir", job.work_dir));
  RETURN_IF_ERROR(CheckPath("log_path", job.log_path));
  if (job.resources.cpus < 1) return absl::InvalidArgumentError("resources.cpus must be >= 1");
  if (job.resources.memory_mb < 0) {
    return absl::InvalidArgumentError("resources.memory_mb must be >= 0");
  }
  const std::string log = EscapePercent(job.log_path);
  std::vector<std::string> args = {"--parsable",
                                   "--job-name=" + SlurmJobName(job.id),
                                   "--chdir=" + job.work_dir,
                                   "--output=" + log,
                                   "--error=" + log,
                                   "--open-mode=append",
                                   "--no-requeue",
                                   "--cpus-per-task=" + std::to_string(job.resources.cpus)};
  if (job.resources.memory_mb > 0) {
    args.push_back("--mem=" + std::to_string(job.resources.memory_mb) + "M");
  }
  const std::string& partition =
      job.resources.partition.empty() ? default_partition : job.resources.partition;
  if (!partition.empty()) args.push_back("--partition=" + partition);
  if (job.timeout_seconds > 0) {
    args.push_back("--time=" + std::to_string(TimeLimitMinutes(job.timeout_seconds)));
  }
  args.push_back(script_path);
  return args;
}

}  // namespace ferry::pipeline::slurm
