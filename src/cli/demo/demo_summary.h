#pragma once
// What `ferry demo` reports at the end: the versions, the drift the server measured, the
// traffic's counts, the time taken and the maturity level, as text and as JSON
// (`--summary-json`). Pure.

#include <cstdint>
#include <string>
#include <vector>

namespace ferry::cli::demo {

// One drifted column of the window that raised the alert, as the server reported it.
struct DriftColumn {
  std::string name;
  std::string stattest;  // "jensenshannon", "sketch_ks", ...
  double statistic = 0;
  double threshold = 0;
};

struct DriftReport {
  bool detected = false;
  std::string kind;     // the alert's kind: "data_drift"
  std::string message;  // the alert's message
  uint64_t window = 0;  // the window that made it fire
  double drift_share = 0;
  std::vector<DriftColumn> columns;
  double seconds_after_change = 0;  // from the traffic's change to the alert
};

struct DemoSummary {
  std::string model;             // the recommender's registered name
  std::string first_version;     // its version serving before the drift
  std::string promoted_version;  // its version serving at the end
  std::string promotion;         // "promoted", "rolled back: ...", "not run: ..."
  std::string tabular_model;     // the tabular model and its serving version
  std::string tabular_version;
  DriftReport drift;
  uint64_t requests_served = 0;
  uint64_t requests_failed = 0;
  uint64_t new_version_requests = 0;  // answered by the challenger during the canary
  double seconds = 0;
  int maturity_level = -1;  // -1: not assessed
  std::string maturity_score;
  std::vector<std::string> maturity_missing;  // characteristics of the next level not met
  std::string server_url;
  std::string dir;
};

// `--summary-json`: drift_detected, promoted_version, requests_served, requests_failed,
// seconds, maturity_level and the rest of the summary.
std::string SummaryJson(const DemoSummary& s);

// The closing lines printed for people.
std::string SummaryText(const DemoSummary& s);

}  // namespace ferry::cli::demo
