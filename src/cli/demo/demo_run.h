#pragma once
// `ferry demo`'s run, phase by phase (demo_setup.cc: the project, the data, the server and the
// first versions; demo_loop.cc: traffic, drift, retraining, promotion and the summary).
// Internal to cli/demo.

#include <memory>
#include <string>

#include "cli/demo/demo_process.h"
#include "cli/demo/demo_summary.h"
#include "cli/demo/demo_traffic.h"
#include "common/status.h"

namespace ferry::cli::demo {

struct DemoOptions {
  std::string dir = "ferry-demo";
  std::string host = "127.0.0.1";
  int port = 5000;
  bool exit = false;
  std::string summary_json;
  uint64_t seed = 1;
};

// The names and sizes the demo uses.
inline constexpr char kModel[] = "recsys";
inline constexpr char kTabularModel[] = "bc";
inline constexpr int kItems = 100;           // items on sale at a time
inline constexpr int kEventsBefore = 20000;  // the first training set (old catalogue)
inline constexpr int kEventsAfter = 40000;   // the retraining set (the change at half-way)
inline constexpr int kWindowRows = 8000;     // rows per monitoring window

struct DemoContext {
  DemoOptions options;
  std::string dir;  // absolute
  std::string url;  // http://host:port
  Progress progress;
  int server_pid = -1;
  DemoSummary summary;
  std::unique_ptr<Traffic> traffic;

  std::string Path(const std::string& relative) const { return dir + "/" + relative; }
  std::string Log(const std::string& name) const { return dir + "/logs/" + name + ".log"; }
};

// Refuses a busy port or a DIR that is not an earlier demo's; removes an earlier demo's DIR.
absl::Status PrepareDir(DemoContext& c);
// Writes the project (demo template), the key, the first sessions and the tabular data.
absl::Status WriteProject(DemoContext& c);
// Starts `ferry server` with the deployments and live monitoring; waits for /health.
absl::Status StartServer(DemoContext& c);
// Trains and registers the tabular model, runs the pipeline once (recommender version 1,
// @champion at once), and waits until both deployments serve.
absl::Status FirstVersions(DemoContext& c);

// Baseline traffic, the catalogue change, the drift alert, the retraining run with its canary
// and promotion; fills c.summary.
absl::Status RunLoop(DemoContext& c);
// `ferry maturity --server URL DIR --format json` into c.summary.
absl::Status AssessMaturity(DemoContext& c);
// SIGTERM to the server, waits.
void StopServer(DemoContext& c);
// Whether the server has exited (reaped).
bool ServerExited(DemoContext& c);

// Runs `ferry ARGS` with its output in logs/NAME.log; an error with the log's tail unless it
// exits 0.
absl::Status Ferry(DemoContext& c, const std::string& name, const std::vector<std::string>& args);

}  // namespace ferry::cli::demo
