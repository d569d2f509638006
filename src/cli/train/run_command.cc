// `ferry run -- CMD ARGS...`: automated logging for people who do not use MLflow's client
// (seed 002). The command runs as an MLflow run: its command line, working directory, git
// commit, exit status, duration and output are recorded, and the run ends FINISHED or
// FAILED with the command's exit status.

#include <pwd.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "cli/cli.h"
#include "cli/flags.h"
#include "cli/mlflow/server_client.h"
#include "cli/mlflow/tracking_client.h"
#include "common/clock.h"
#include "common/fs.h"
#include "common/process.h"

namespace ferry::cli {
namespace {

std::string ShellQuote(const std::string& s) {
  if (!s.empty() && s.find_first_of(" \t\n'\"\\$`|&;<>()*?[]#~") == std::string::npos) return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string CurrentUser() {
  if (const char* u = std::getenv("USER"); u && *u) return u;
  if (passwd* pw = ::getpwuid(::getuid())) return pw->pw_name;
  return "unknown";
}

std::vector<RunTag> SourceTags(const std::vector<std::string>& command) {
  std::string line;
  for (const auto& a : command) line += (line.empty() ? "" : " ") + ShellQuote(a);
  std::vector<RunTag> tags = {
      {"mlflow.source.name", command[0]}, {"mlflow.source.type", "LOCAL"},
      {"mlflow.user", CurrentUser()},     {"ferry.command", line},
      {"ferry.cwd", CurrentDir()},
  };
  std::string commit = CaptureCommand({"git", "rev-parse", "HEAD"});
  if (!commit.empty()) tags.push_back({"mlflow.source.git.commit", commit});
  return tags;
}

int Fail(const absl::Status& s) {
  std::fprintf(stderr, "ferry run: %s\n", std::string(s.message()).c_str());
  return 1;
}

}  // namespace

int RunCommand(const std::vector<std::string>& args) {
  FlagSet flags("ferry run [flags] -- COMMAND [ARGS...]",
                "Runs COMMAND as a tracked run on the tracking server. The command gets\n"
                "MLFLOW_TRACKING_URI, MLFLOW_RUN_ID and MLFLOW_EXPERIMENT_ID, so MLflow clients\n"
                "inside it log to the same run. Records the command line, working directory,\n"
                "git commit, exit status, duration, and stdout/stderr (as artifacts), and ends\n"
                "the run FINISHED or FAILED. Exits with the command's exit status.");
  flags.String("experiment", "", "experiment name (created if missing; default: Default)");
  flags.String("run-name", "", "run name (default: generated)");
  flags.TrackingUri("tracking server");
  if (auto exit = flags.ParseCommand("ferry run", args)) return *exit;
  std::vector<std::string> command = flags.rest();
  if (command.empty()) command = flags.positional();
  if (command.empty()) return flags.UsageError("ferry run", "no command given");
  auto http = ServerClient(flags.Get("tracking-uri"));
  if (!http.ok()) return Fail(http.status());
  http->set_unreachable_hint("Start a server with `ferry server` or set MLFLOW_TRACKING_URI.");
  TrackingClient client(*http);
  std::string experiment_id = "0";
  if (!flags.Get("experiment").empty()) {
    auto id = client.GetOrCreateExperiment(flags.Get("experiment"));
    if (!id.ok()) return Fail(id.status());
    experiment_id = *id;
  }
  int64_t start = SystemClock().NowMillis();
  auto run = client.CreateRun(experiment_id, flags.Get("run-name"), start, SourceTags(command));
  if (!run.ok()) return Fail(run.status());
  std::fprintf(stderr, "ferry run: run %s in experiment %s\n", run->run_id.c_str(),
               experiment_id.c_str());

  absl::StatusOr<TempDir> dir = TempDir::Create("ferry-run");
  if (!dir.ok()) return Fail(dir.status());
  std::string out_file = dir->path() + "/stdout.txt", err_file = dir->path() + "/stderr.txt";
  ProcessOptions options;
  options.extra_env = {{"MLFLOW_TRACKING_URI", flags.Get("tracking-uri")},
                       {"MLFLOW_RUN_ID", run->run_id},
                       {"MLFLOW_EXPERIMENT_ID", experiment_id}};
  options.echo = true;
  options.stdout_file = out_file;
  options.stderr_file = err_file;
  options.forward_signals = true;
  auto result = RunProcess(command, options);
  int64_t end = SystemClock().NowMillis();
  ProcessResult child = result.ok() ? *result : ProcessResult{127, false, false, end - start, ""};
  if (!result.ok())
    std::fprintf(stderr, "ferry run: %s\n", std::string(result.status().message()).c_str());

  absl::Status logged =
      client.LogBatch(run->run_id,
                      {{"ferry.exit_code", static_cast<double>(child.exit_code), end, 0},
                       {"ferry.duration_s", child.duration_ms / 1000.0, end, 0}},
                      {}, {{"ferry.exit_status", std::to_string(child.exit_code)}});
  if (logged.ok()) logged = client.UploadArtifact(run->artifact_uri, "stdout.txt", out_file);
  if (logged.ok()) logged = client.UploadArtifact(run->artifact_uri, "stderr.txt", err_file);
  RunStatus status = child.signaled         ? RunStatus::kKilled
                     : child.exit_code == 0 ? RunStatus::kFinished
                                            : RunStatus::kFailed;
  absl::Status ended = client.EndRun(run->run_id, status, end);
  if (!logged.ok()) Fail(logged);
  if (!ended.ok()) Fail(ended);
  std::fprintf(stderr, "ferry run: %s (exit %d, %.3f s)\n", RunStatusName(status), child.exit_code,
               child.duration_ms / 1000.0);
  return child.exit_code;
}

}  // namespace ferry::cli
