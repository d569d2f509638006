#include "app/auth/resource_lookup.h"

#include <memory>
#include <mutex>
#include <unordered_map>

#include "store/metadata_store.h"
#include "tracking/tracking_service.h"

namespace ferry::app {
namespace {

// Answers that never change for a key (a run's experiment, an experiment's workspace),
// remembered up to a bound after the first successful lookup.
class Remembered {
 public:
  using Find = std::function<absl::StatusOr<std::string>(const std::string&)>;
  explicit Remembered(Find find) : find_(std::move(find)) {}

  absl::StatusOr<std::string> Get(const std::string& key) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (auto it = known_.find(key); it != known_.end()) return it->second;
    }
    ASSIGN_OR_RETURN(std::string value, find_(key));
    std::lock_guard<std::mutex> lock(mu_);
    if (known_.size() >= kMax) known_.clear();
    known_.emplace(key, value);
    return value;
  }

 private:
  static constexpr size_t kMax = 100000;
  Find find_;
  std::mutex mu_;
  std::unordered_map<std::string, std::string> known_;
};

}  // namespace

http::ResourceLookup MakeResourceLookup(tracking::TrackingService* tracking,
                                        std::function<std::vector<std::string>()> deployed_models) {
  http::ResourceLookup lookup;
  lookup.deployed_models = std::move(deployed_models);
  if (tracking == nullptr) {
    lookup.run_experiment = [](const std::string&) -> absl::StatusOr<std::string> {
      return absl::NotFoundError("no tracking store");
    };
    lookup.experiment_id = [](const std::string&,
                              const std::string&) -> absl::StatusOr<std::string> {
      return absl::NotFoundError("no tracking store");
    };
    return lookup;
  }
  auto runs = std::make_shared<Remembered>(
      [tracking](const std::string& run_id) -> absl::StatusOr<std::string> {
        ASSIGN_OR_RETURN(Run run, tracking->GetRun(run_id));
        return run.info.experiment_id;
      });
  lookup.run_experiment = [runs](const std::string& run_id) { return runs->Get(run_id); };
  lookup.experiment_id = [tracking](const std::string& workspace,
                                    const std::string& name) -> absl::StatusOr<std::string> {
    ASSIGN_OR_RETURN(Experiment e, tracking->GetExperimentByName(name, workspace));
    return e.experiment_id;
  };
  return lookup;
}

std::function<absl::StatusOr<std::string>(const std::string& experiment_id)>
MakeExperimentWorkspaces(store::MetadataStore& store) {
  auto known =
      std::make_shared<Remembered>([&store](const std::string& id) -> absl::StatusOr<std::string> {
        ASSIGN_OR_RETURN(Experiment e, store.GetExperiment(id));
        return e.workspace;
      });
  return [known](const std::string& id) { return known->Get(id); };
}

}  // namespace ferry::app
