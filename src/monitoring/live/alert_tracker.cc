#include "monitoring/live/alert_tracker.h"

#include <algorithm>

namespace ferry::monitoring {
namespace {

const char* KindLabel(const std::string& kind) {
  if (kind == "data_drift") return "Data drift";
  if (kind == "prediction_drift") return "Prediction drift";
  if (kind == "quality") return "Quality degradation";
  if (kind == "bias") return "Bias";
  return "Alert";
}

std::string Windows(uint64_t first, uint64_t last) {
  if (first == last) return "window " + std::to_string(first);
  return "windows " + std::to_string(first) + "-" + std::to_string(last);
}

void MergeFindings(const std::vector<Finding>& add, std::vector<Finding>* into) {
  for (const Finding& f : add) {
    auto it = std::find_if(into->begin(), into->end(),
                           [&](const Finding& g) { return g.column == f.column; });
    if (it == into->end()) {
      into->push_back(f);
    } else {
      *it = f;
    }
  }
}

}  // namespace

AlertEvent AlertTracker::MakeEvent(const std::string& deployment, const char* state,
                                   uint64_t window) const {
  AlertEvent e;
  e.kind = kind_;
  e.state = state;
  e.deployment = deployment;
  e.first_window = run_start_;
  e.last_window = window;
  for (const Finding& f : run_) {
    e.columns.push_back(f.column);
    e.stattests.push_back(f.stattest);
    e.statistics.push_back(f.statistic);
  }
  return e;
}

std::optional<AlertEvent> AlertTracker::Observe(const std::string& deployment, uint64_t window,
                                                bool bad, const std::vector<Finding>& findings,
                                                const std::string& detail) {
  if (bad) {
    good_run_ = 0;
    if (!firing_ && bad_run_ == 0) {
      run_start_ = window;
      run_.clear();
    }
    ++bad_run_;
    MergeFindings(findings, &run_);
    if (firing_ || bad_run_ < alert_after_) return std::nullopt;
    firing_ = true;
    AlertEvent e = MakeEvent(deployment, "firing", window);
    e.message = std::string(KindLabel(kind_)) + " in deployment '" + deployment + "' in " +
                Windows(run_start_, window) + ": " + detail + ".";
    return e;
  }
  bad_run_ = 0;
  if (!firing_) return std::nullopt;
  if (good_run_ == 0) good_start_ = window;
  if (++good_run_ < clear_after_) return std::nullopt;
  firing_ = false;
  good_run_ = 0;
  AlertEvent e = MakeEvent(deployment, "resolved", window);
  e.message = std::string(KindLabel(kind_)) + " in deployment '" + deployment +
              "' resolved: " + Windows(good_start_, window) + " were clean (" + detail +
              "), after firing since window " + std::to_string(run_start_) + ".";
  return e;
}

void AlertTracker::Restore(bool firing, uint64_t run_start, const std::vector<Finding>& findings) {
  firing_ = firing;
  bad_run_ = 0;
  good_run_ = 0;
  run_start_ = run_start;
  run_ = firing ? findings : std::vector<Finding>();
}

}  // namespace ferry::monitoring
