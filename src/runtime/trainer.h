#pragma once
// The training side of a model family: data + parameters -> model files + metrics.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "common/progress.h"
#include "common/status.h"
#include "core/frame.h"
#include "core/model_schema.h"

namespace ferry::runtime {

struct TrainSpec {
  const Frame* train = nullptr;               // rows to fit on
  const Frame* test = nullptr;                // held-out rows to evaluate on (may have 0 rows)
  std::string target;                         // label column (unused by families without one)
  std::map<std::string, std::string> params;  // family parameters, as given by the user
  std::string output_dir;                     // existing empty directory; the model files go here
  ProgressFn progress;                        // steps of training; may be empty
};

// Reports `done` of `total` training steps with a short phrase ("tree 120/300"), labelled
// "training", when anyone listens.
inline void ReportTraining(const TrainSpec& spec, int64_t done, int64_t total,
                           std::string_view detail) {
  if (spec.progress) spec.progress(Progress::Steps("training", done, total, detail));
}

struct TrainResult {
  ModelSchema schema;  // what the Predictor loaded from output_dir accepts and returns
  // Evaluation on `test` (and on `train`, prefixed "train_"), e.g. "accuracy", "roc_auc",
  // "log_loss", "rmse", "r2", "hit_rate_at_20", "mrr_at_20".
  std::map<std::string, double> metrics;
  // Every parameter the trainer used, defaults included, as strings.
  std::map<std::string, std::string> params;
  std::string format;  // model file format, e.g. "ferry-linear", "xgboost-ubj"
};

// Not thread-safe; one Train call at a time.
class Trainer {
 public:
  virtual ~Trainer() = default;
  // kInvalidArgument naming the parameter or column for bad params or data ("param
  // \"l2\": expected a number >= 0, got \"x\"", "target column \"y\" not found").
  virtual absl::StatusOr<TrainResult> Train(const TrainSpec& spec) = 0;
};
using TrainerPtr = std::unique_ptr<Trainer>;

}  // namespace ferry::runtime
