#include "cli/demo/demo_command.h"

#include <cstdio>
#include <thread>

#include "cli/demo/demo_run.h"
#include "cli/flags.h"
#include "common/fs.h"
#include "common/strings.h"

namespace ferry::cli {
namespace {

using demo::DemoContext;

constexpr char kCommand[] = "ferry demo";

absl::Status Run(DemoContext& c) {
  RETURN_IF_ERROR(demo::PrepareDir(c));
  RETURN_IF_ERROR(demo::WriteProject(c));
  RETURN_IF_ERROR(demo::StartServer(c));
  RETURN_IF_ERROR(demo::FirstVersions(c));
  RETURN_IF_ERROR(demo::RunLoop(c));
  return demo::AssessMaturity(c);
}

// Whether the loop did what the demo shows.
std::string Shortfall(const demo::DemoSummary& s) {
  if (!s.drift.detected) return "no drift was detected";
  if (s.promoted_version.empty() || s.promoted_version == s.first_version) {
    return "no new version was promoted (" + s.promotion + ")";
  }
  if (s.requests_failed > 0) return std::to_string(s.requests_failed) + " requests failed";
  return "";
}

void PrintUrls(const DemoContext& c) {
  const std::string& u = c.url;
  std::printf(
      "\nThe server keeps running at %s:\n"
      "  %s/v2/models/%s/infer        the recommender (OIP; /invocations too)\n"
      "  %s/api/ferry/v1/deployments/%s      what serves, per arm\n"
      "  %s/api/ferry/v1/monitoring/deployments/%s/windows   live monitoring\n"
      "  %s/metrics                           Prometheus\n"
      "  MLFLOW_TRACKING_URI=%s         runs, registry (mlflow, ferry models list)\n"
      "  project: %s (pipeline.yaml; logs in %s/logs)\n",
      u.c_str(), u.c_str(), demo::kModel, u.c_str(), demo::kModel, u.c_str(), demo::kModel,
      u.c_str(), u.c_str(), c.dir.c_str(), c.dir.c_str());
}

}  // namespace

int DemoCommand(const std::vector<std::string>& args) {
  FlagSet flags(
      "ferry demo [--dir DIR] [--port P] [--exit] [--summary-json FILE] [--seed N]",
      "Runs the whole loop on this machine, in about a minute: writes a project (pipeline.yaml\n"
      "with validate, train, evaluate, sign, gate, register and promote steps) into DIR,\n"
      "starts `ferry server` on it with live monitoring, trains a session recommender on\n"
      "generated sessions and a tabular model, registers and serves both, replays traffic,\n"
      "changes the catalogue under it, waits for live monitoring to report the drift,\n"
      "retrains through the pipeline (gate against the champion, canary, promotion: the\n"
      "server hot-swaps with traffic flowing), then prints a summary and `ferry maturity`'s\n"
      "level. The server keeps running (Ctrl-C stops it) unless --exit. A DIR left by an\n"
      "earlier demo is replaced; any other non-empty DIR is refused.");
  flags.String("dir", "ferry-demo", "the project and the server's data");
  flags.String("port", "5000", "the server's port on 127.0.0.1");
  flags.Bool("exit", "stop the server and exit after the summary");
  flags.String("summary-json", "",
               "also write the summary as JSON (drift_detected, promoted_version, "
               "requests_served, requests_failed, seconds, maturity_level, ...)");
  flags.String("seed", "1", "seed of the generated sessions and the traffic");
  if (auto exit = flags.ParseCommand(kCommand, args, 0)) return *exit;
  DemoContext c;
  auto port = ParseInt64(flags.Get("port"));
  if (!port || *port < 1 || *port > 65535) {
    return flags.UsageError(kCommand, "--port must be 1-65535, got '" + flags.Get("port") + "'");
  }
  auto seed = ParseInt64(flags.Get("seed"));
  if (!seed || *seed < 0) return flags.UsageError(kCommand, "--seed must be a number >= 0");
  c.options.port = static_cast<int>(*port);
  c.options.seed = static_cast<uint64_t>(*seed);
  c.options.exit = flags.GetBool("exit");
  c.options.summary_json = flags.Get("summary-json");
  c.options.dir = flags.Get("dir");
  c.dir = c.options.dir.empty() || c.options.dir[0] != '/' ? JoinPath(CurrentDir(), c.options.dir)
                                                           : c.options.dir;
  while (c.dir.size() > 1 && c.dir.back() == '/') c.dir.pop_back();
  c.url = "http://" + c.options.host + ":" + std::to_string(c.options.port);
  c.summary.model = demo::kModel;
  c.summary.server_url = c.url;
  c.summary.dir = c.dir;
  demo::InstallInterruptHandler();

  absl::Status s = Run(c);
  c.summary.seconds = c.progress.Seconds();
  if (!s.ok()) {
    demo::StopServer(c);
    std::fprintf(stderr, "%s: %s\n", kCommand, std::string(s.message()).c_str());
    return demo::g_interrupted.load() ? 130 : 1;
  }
  std::fputs(demo::SummaryText(c.summary).c_str(), stdout);
  if (!c.options.summary_json.empty()) {
    if (absl::Status w = WriteFileAtomic(c.options.summary_json, demo::SummaryJson(c.summary));
        !w.ok()) {
      std::fprintf(stderr, "%s: %s\n", kCommand, std::string(w.message()).c_str());
    }
  }
  const std::string shortfall = Shortfall(c.summary);
  if (!shortfall.empty()) std::fprintf(stderr, "%s: %s\n", kCommand, shortfall.c_str());
  if (c.options.exit) {
    demo::StopServer(c);
  } else {
    PrintUrls(c);
    std::printf("Ctrl-C stops the server.\n");
    std::fflush(stdout);
    while (!demo::g_interrupted.load() && !demo::ServerExited(c)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    demo::StopServer(c);
  }
  return shortfall.empty() ? 0 : 1;
}

}  // namespace ferry::cli
