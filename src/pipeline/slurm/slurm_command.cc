#include "pipeline/slurm/slurm_command.h"

#include <unistd.h>

#include <atomic>

#include "common/process.h"

namespace ferry::pipeline::slurm {
namespace {

std::atomic<uint64_t> g_sequence{0};

std::string BaseName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

void ReplaceAll(std::string& s, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
}

}  // namespace

std::string SlurmCommand::ScratchPath(const std::string& suffix) const {
  return JoinPath(scratch_.path(), std::to_string(++g_sequence) + suffix);
}

absl::StatusOr<CommandOutput> SlurmCommand::Run(const std::vector<std::string>& argv) const {
  const std::string name = BaseName(argv.at(0));
  ProcessOptions o;
  o.stdin_null = true;
  o.stdout_file = ScratchPath(".out");
  o.stderr_file = ScratchPath(".err");
  o.timeout = timeout_;
  if (!slurm_conf_.empty()) o.extra_env["SLURM_CONF"] = slurm_conf_;
  absl::StatusOr<ProcessResult> r = RunProcess(argv, o);
  absl::StatusOr<std::string> out = ReadFile(o.stdout_file), err = ReadFile(o.stderr_file);
  ::unlink(o.stdout_file.c_str());
  ::unlink(o.stderr_file.c_str());
  if (!r.ok()) {
    return absl::UnavailableError("cannot run " + name + ": " +
                                  std::string(StatusMessage(r.status())));
  }
  if (r->timed_out) {
    return absl::UnavailableError(name + " did not finish within " +
                                  std::to_string(timeout_.count() / 1000) + " s");
  }
  CommandOutput result;
  result.exit_code = r->exit_code;
  result.out = out.ok() ? *out : "";
  result.err = Trimmed(err.ok() ? *err : "");
  ReplaceAll(result.err, scratch_.path(), "<batch script dir>");
  return result;
}

absl::Status SlurmCommand::Failed(const std::string& name, const CommandOutput& out) {
  std::string err = out.err.empty() ? "exit " + std::to_string(out.exit_code) : out.err;
  if (err.size() > 2000) err = err.substr(0, 2000) + "...";
  // Slurm's commands start their messages with their own name ("sbatch: error: ...").
  if (err.rfind(name + ": ", 0) == 0) return absl::UnavailableError(err);
  return absl::UnavailableError(name + ": " + err);
}

}  // namespace ferry::pipeline::slurm
