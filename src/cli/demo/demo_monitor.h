#pragma once
// What the demo reads from the server: the version a deployment serves, the drift alert live
// monitoring raised (with the statistics of the window that made it fire), and the retraining
// that alert starts.

#include <optional>
#include <string>

#include "cli/demo/demo_summary.h"
#include "common/json.h"
#include "common/status.h"

namespace ferry::cli::demo {

// `GET /api/ferry/v1/deployments/NAME`: the primary's version ("" when none is loaded yet).
absl::StatusOr<std::string> ServingVersion(const std::string& url, const std::string& model);

// From `GET .../monitoring/deployments/NAME/alerts` and `.../windows`: the data drift alert
// that is firing, with the drifted columns of the window that made it fire. Pure;
// detected = false when no data drift alert fires.
DriftReport DriftFromMonitoring(const JsonValue& alerts, const JsonValue& windows);

// Both reads and DriftFromMonitoring.
absl::StatusOr<DriftReport> PollDrift(const std::string& url, const std::string& model);

// The retraining run a drift alert starts: `ferry pipeline watch -f PIPELINE --once`, started
// before the drift; the server's monitoring_alert webhook reaches it and it runs the
// pipeline (pipeline.yaml's `triggers:` entry), then exits.
class Retrainer {
 public:
  Retrainer(std::string url, std::string pipeline, std::string log)
      : url_(std::move(url)), pipeline_(std::move(pipeline)), log_(std::move(log)) {}
  ~Retrainer();
  // Before the traffic changes: returns once the watch's webhook is on the server.
  absl::Status Arm();
  // The run's exit status once it ended.
  std::optional<int> Poll();
  // Whether the watch process was started.
  bool started() const { return pid_ > 0; }
  // Stops it (interrupt): its status.
  int Stop();

 private:
  std::string url_;
  std::string pipeline_;
  std::string log_;
  int pid_ = -1;
  std::optional<int> status_;
};

}  // namespace ferry::cli::demo
