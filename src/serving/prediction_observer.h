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

// Hands each record to several observers (the prediction log and live monitoring), a copy to
// each but the last. Observers are added before serving starts and must outlive the list.
class PredictionObserverList : public PredictionObserver {
 public:
  void Add(PredictionObserver* observer) {
    if (observer != nullptr) observers_.push_back(observer);
  }
  // Null when empty, the only observer when there is one (no copy), else this list.
  PredictionObserver* Get() {
    if (observers_.empty()) return nullptr;
    return observers_.size() == 1 ? observers_[0] : this;
  }
  void OnPrediction(PredictionRecord record) override {
    for (size_t i = 0; i + 1 < observers_.size(); ++i) observers_[i]->OnPrediction(record);
    if (!observers_.empty()) observers_.back()->OnPrediction(std::move(record));
  }

 private:
  std::vector<PredictionObserver*> observers_;
};

}  // namespace ferry::serving
