#pragma once
// How serving tells the rest of Ferry (the prediction log, later monitoring) about the
// predictions it made, without depending on them: app wires an implementation in.

#include <cstdint>
#include <string>
#include <vector>

#include "core/tensor.h"

namespace ferry::serving {

struct PredictionRecord {
  std::string deployment;  // the served name (models:/NAME@ALIAS -> NAME)
  std::string model_name;
  std::string model_version;
  std::string request_id;
  std::string role;  // "primary", "canary" or "shadow"
  int64_t time_unix_ms = 0;
  int64_t latency_us = 0;  // queue + compute
  std::vector<Tensor> inputs;
  std::vector<Tensor> outputs;
};

// Implementations must not block: OnPrediction is called on the request path and must return
// in microseconds (queue the record, drop it when the queue is full and count the drop).
class PredictionObserver {
 public:
  virtual ~PredictionObserver() = default;
  virtual void OnPrediction(PredictionRecord record) = 0;
};

}  // namespace ferry::serving
