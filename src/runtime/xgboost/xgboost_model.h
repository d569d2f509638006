#pragma once
// What Ferry records beside an xgboost model (ferry-xgboost.json), and loading a model
// directory: either Ferry's layout (model.ubj + ferry-xgboost.json) or a bare model saved by
// xgboost itself (model.json or model.ubj only).

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "core/model_schema.h"
#include "runtime/xgboost/xgb_handle.h"

namespace ferry::runtime::xgboost {

inline constexpr char kModelFile[] = "model.ubj";
inline constexpr char kInfoFile[] = "ferry-xgboost.json";

enum class OutputKind {
  kProbabilities,  // binary:logistic, multi:softprob: class + probabilities
  kClassIndex,     // multi:softmax: xgboost returns the class index
  kValue,          // everything else (regression, ranking, counts): one number per row
};

struct ModelInfo {
  std::vector<std::string> features;
  std::vector<int64_t> classes;  // label value of each class index; empty for kValue
  std::string objective;         // e.g. "binary:logistic"
  OutputKind kind = OutputKind::kValue;
};

// The output kind of an xgboost objective name.
OutputKind KindOfObjective(const std::string& objective);

// Serialises `info` as ferry-xgboost.json: {"features": [...], "classes": [...],
// "objective": "..."}.
std::string ModelInfoJson(const ModelInfo& info);

// The tabular schema: input "input" FP64 [-1,F] (NaN allowed: missing values) with columns =
// features; outputs "predictions" (INT64 for classifiers, FP64 otherwise) and, for
// kProbabilities, "probabilities" FP64 [-1,C].
ModelSchema SchemaFor(const ModelInfo& info);

struct LoadedModel {
  Booster booster;
  ModelInfo info;
};

// Loads `dir`. With ferry-xgboost.json: model.ubj (or model.json) plus that file. Without:
// model.json or model.ubj saved by xgboost; features are named by the names stored in the
// model, else by `column_hint` when it has exactly the booster's feature count, else
// f0..fN-1; the objective and number of classes
// come from the saved configuration. kInvalidArgument naming the file for anything missing
// or inconsistent.
absl::StatusOr<LoadedModel> LoadModelDir(const std::string& dir,
                                         const std::vector<std::string>& column_hint);

// Loads one model file saved by xgboost itself, in any format libxgboost reads (the format is
// picked from the extension: .json, .ubj, otherwise the binary format, as MLflow's model.xgb).
// Objective, classes and features as for a bare model in LoadModelDir.
absl::StatusOr<LoadedModel> LoadModelFile(const std::string& path,
                                          const std::vector<std::string>& column_hint);

}  // namespace ferry::runtime::xgboost
