#pragma once
// What the live-monitoring endpoints need from the process that serves models. app implements
// it over its per-deployment monitors; the handlers parse requests and shape errors only.
//
// The JSON strings returned are complete objects or arrays, written into the answers as is.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ferry::http {

// A label posted for one row of a request: a number (regression, or a class given as a number) or a
// text class. JSON true/false are the numbers 1/0.
struct PostedLabel {
  std::string request_id;
  uint64_t row = 0;  // the row of that request (0 for single-row requests)
  bool numeric = true;
  double number = 0;
  std::string text;
};

struct LabelCounts {
  int64_t matched = 0;     // joined to a prediction still held
  int64_t unknown = 0;     // no such request id (never seen, sampled out, or aged out)
  int64_t duplicate = 0;   // that request was already labelled (the first label stays)
  int64_t late = 0;        // its window is no longer kept
  int64_t unbuffered = 0;  // its row was past the window's row buffer (no quality)
};

class MonitoringApi {
 public:
  virtual ~MonitoringApi() = default;
  // An array: one object per monitored deployment.
  virtual std::string DeploymentsJson() = 0;
  // An array of window results, latest first, at most `max_results`; kNotFound for a
  // deployment that is not monitored.
  virtual absl::StatusOr<std::string> WindowsJson(std::string_view deployment, int max_results) = 0;
  // {"active": [...], "events": [...]}; kNotFound as above.
  virtual absl::StatusOr<std::string> AlertsJson(std::string_view deployment) = 0;
  // kNotFound as above.
  virtual absl::StatusOr<LabelCounts> AddLabels(std::string_view deployment,
                                                std::vector<PostedLabel> labels) = 0;
};

}  // namespace ferry::http
