#include "runtime/xgboost/xgboost_model.h"

#include <cmath>
#include <utility>

#include "common/fs.h"
#include "common/json.h"
#include "common/json_writer.h"
#include "common/strings.h"

namespace ferry::runtime::xgboost {
namespace {

absl::Status Bad(const std::string& file, std::string_view why) {
  return absl::InvalidArgumentError(file + ": " + std::string(why));
}

absl::StatusOr<ModelInfo> ParseInfo(const std::string& path, std::string_view text) {
  auto doc = ParseJson(text);
  if (!doc.ok()) return Bad(path, StatusMessage(doc.status()));
  ModelInfo info;
  const JsonValue* features = doc->Find("features");
  const JsonValue* objective = doc->Find("objective");
  if (features == nullptr || !features->is_array()) return Bad(path, "\"features\" missing");
  if (objective == nullptr || !objective->is_string()) return Bad(path, "\"objective\" missing");
  for (const JsonValue& f : features->items()) {
    if (!f.is_string()) return Bad(path, "\"features\" must hold strings");
    info.features.push_back(f.as_string());
  }
  if (const JsonValue* classes = doc->Find("classes"); classes != nullptr) {
    if (!classes->is_array()) return Bad(path, "\"classes\" must be an array");
    for (const JsonValue& c : classes->items()) {
      if (!c.is_integer()) return Bad(path, "\"classes\" must hold integers");
      info.classes.push_back(c.as_int());
    }
  }
  info.objective = objective->as_string();
  info.kind = KindOfObjective(info.objective);
  if (info.kind != OutputKind::kValue && info.classes.size() < 2) {
    return Bad(path, "a classifier needs at least 2 classes");
  }
  return info;
}

// Reads objective and num_class from the booster's saved configuration.
absl::StatusOr<ModelInfo> InfoFromConfig(const Booster& booster, const std::string& path,
                                         const std::vector<std::string>& column_hint) {
  ASSIGN_OR_RETURN(std::string config_text, booster.JsonConfig());
  ASSIGN_OR_RETURN(JsonValue config, ParseJson(config_text));
  const JsonValue* learner = config.Find("learner");
  const JsonValue* objective = learner ? learner->Find("objective") : nullptr;
  const JsonValue* name = objective ? objective->Find("name") : nullptr;
  if (name == nullptr || !name->is_string()) return Bad(path, "no objective in its config");
  ModelInfo info;
  info.objective = name->as_string();
  info.kind = KindOfObjective(info.objective);
  int64_t num_class = 0;
  const JsonValue* mp = learner->Find("learner_model_param");
  const JsonValue* nc = mp ? mp->Find("num_class") : nullptr;
  if (nc != nullptr && nc->is_string()) num_class = ParseInt64(nc->as_string()).value_or(0);
  if (info.kind != OutputKind::kValue) {
    if (info.objective == "binary:logistic") num_class = 2;
    if (num_class < 2) return Bad(path, "classifier objective without num_class");
    for (int64_t c = 0; c < num_class; ++c) info.classes.push_back(c);
  }
  ASSIGN_OR_RETURN(int n, booster.NumFeatures());
  ASSIGN_OR_RETURN(std::vector<std::string> stored, booster.FeatureNames());
  if (static_cast<int>(stored.size()) == n && n > 0) {
    info.features = std::move(stored);
  } else if (static_cast<int>(column_hint.size()) == n) {
    info.features = column_hint;
  } else {
    for (int i = 0; i < n; ++i) info.features.push_back("f" + std::to_string(i));
  }
  return info;
}

}  // namespace

OutputKind KindOfObjective(const std::string& objective) {
  if (objective == "binary:logistic" || objective == "multi:softprob") {
    return OutputKind::kProbabilities;
  }
  if (objective == "multi:softmax") return OutputKind::kClassIndex;
  return OutputKind::kValue;
}

std::string ModelInfoJson(const ModelInfo& info) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Key("features").BeginArray();
  for (const std::string& f : info.features) w.String(f);
  w.EndArray().Key("classes").BeginArray();
  for (int64_t c : info.classes) w.Int(c);
  w.EndArray().Field("objective", info.objective).EndObject();
  return out;
}

ModelSchema SchemaFor(const ModelInfo& info) {
  ModelSchema s;
  TensorSpec in;
  in.name = "input";
  in.datatype = DataType::kFp64;
  in.shape = {-1, static_cast<int64_t>(info.features.size())};
  in.columns = info.features;
  in.allow_nan = true;
  s.inputs.push_back(std::move(in));
  TensorSpec pred;
  pred.name = "predictions";
  pred.datatype = info.kind == OutputKind::kValue ? DataType::kFp64 : DataType::kInt64;
  pred.shape = {-1};
  s.outputs.push_back(std::move(pred));
  if (info.kind == OutputKind::kProbabilities) {
    TensorSpec prob;
    prob.name = "probabilities";
    prob.datatype = DataType::kFp64;
    prob.shape = {-1, static_cast<int64_t>(info.classes.size())};
    s.outputs.push_back(std::move(prob));
  }
  return s;
}

absl::StatusOr<LoadedModel> LoadModelDir(const std::string& dir,
                                         const std::vector<std::string>& column_hint) {
  std::string model_path = JoinPath(dir, kModelFile);
  if (!PathExists(model_path)) model_path = JoinPath(dir, "model.json");
  if (!PathExists(model_path)) {
    return absl::InvalidArgumentError(dir + ": neither model.ubj nor model.json found");
  }
  const std::string info_path = JoinPath(dir, kInfoFile);
  if (!PathExists(info_path)) return LoadModelFile(model_path, column_hint);
  LoadedModel m;
  ASSIGN_OR_RETURN(m.booster, Booster::LoadFile(model_path));
  ASSIGN_OR_RETURN(std::string text, ReadFile(info_path));
  ASSIGN_OR_RETURN(m.info, ParseInfo(info_path, text));
  ASSIGN_OR_RETURN(int n, m.booster.NumFeatures());
  if (n != static_cast<int>(m.info.features.size())) {
    return Bad(info_path, "names " + std::to_string(m.info.features.size()) +
                              " features but the model has " + std::to_string(n));
  }
  return m;
}

absl::StatusOr<LoadedModel> LoadModelFile(const std::string& path,
                                          const std::vector<std::string>& column_hint) {
  if (!PathExists(path)) return absl::InvalidArgumentError(path + ": no such model file");
  LoadedModel m;
  ASSIGN_OR_RETURN(m.booster, Booster::LoadFile(path));
  ASSIGN_OR_RETURN(m.info, InfoFromConfig(m.booster, path, column_hint));
  return m;
}

}  // namespace ferry::runtime::xgboost
