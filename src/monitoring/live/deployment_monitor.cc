#include "monitoring/live/deployment_monitor.h"

#include <utility>

namespace ferry::monitoring {

// Placeholder: the windows, comparisons, alerts and labels follow in the next commits.
class DeploymentMonitorImpl {
 public:
  DeploymentMonitorImpl(std::string deployment, LiveOptions options)
      : deployment_(std::move(deployment)), options_(std::move(options)) {}
  std::string deployment_;
  LiveOptions options_;
};

absl::StatusOr<std::unique_ptr<DeploymentMonitor>> DeploymentMonitor::Create(
    std::string deployment, std::optional<DatasetProfile> reference, LiveOptions options) {
  if (absl::Status s = ValidateLiveOptions(options); !s.ok()) return s;
  (void)reference;
  return std::unique_ptr<DeploymentMonitor>(new DeploymentMonitor(
      std::make_unique<DeploymentMonitorImpl>(std::move(deployment), std::move(options))));
}

DeploymentMonitor::DeploymentMonitor(std::unique_ptr<DeploymentMonitorImpl> impl)
    : impl_(std::move(impl)) {}
DeploymentMonitor::~DeploymentMonitor() = default;

absl::Status DeploymentMonitor::Add(int64_t, const std::string&, const Frame&, const Frame&) {
  return absl::OkStatus();
}
void DeploymentMonitor::Tick(int64_t) {}
LabelCounts DeploymentMonitor::AddLabels(const std::vector<Label>& labels) {
  LabelCounts c;
  c.unknown_request_id = labels.size();
  return c;
}
std::vector<AlertEvent> DeploymentMonitor::TakeAlerts() { return {}; }
std::vector<WindowResult> DeploymentMonitor::Windows() const { return {}; }
std::optional<WindowResult> DeploymentMonitor::Window(uint64_t) const { return std::nullopt; }
MonitorState DeploymentMonitor::current_state() const { return {}; }
const std::string& DeploymentMonitor::deployment() const { return impl_->deployment_; }
const LiveOptions& DeploymentMonitor::options() const { return impl_->options_; }

}  // namespace ferry::monitoring
