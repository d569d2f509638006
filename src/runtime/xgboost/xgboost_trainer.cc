#include "runtime/xgboost/xgboost_trainer.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <utility>

#include "common/fs.h"
#include "common/strings.h"
#include "core/eval_metrics.h"
#include "runtime/mlflow_export/mlflow_export.h"
#include "runtime/xgboost/xgboost_model.h"
#include "runtime/xgboost/xgboost_predictor.h"

namespace ferry::runtime::xgboost {
namespace {

constexpr size_t kMaxClasses = 20;

// Parameters handed to xgboost as given (after validation), with their defaults.
const std::pair<const char*, const char*> kBoosterParams[] = {
    {"max_depth", "6"},
    {"subsample", "1"},
    {"colsample_bytree", "1"},
    {"min_child_weight", "1"},
    {"lambda", "1"},
    {"alpha", "0"},
    {"gamma", "0"},
    {"seed", "0"},
    {"nthread", "0"},
};

absl::Status BadParam(const std::string& name, const std::string& value, const char* want) {
  return absl::InvalidArgumentError("param \"" + name + "\": expected " + want + ", got \"" +
                                    value + "\"");
}

struct Config {
  std::map<std::string, std::string> params;  // everything used, defaults included
  int rounds = 100;
  bool classification = false;
};

absl::StatusOr<Config> ParseParams(const std::map<std::string, std::string>& given) {
  Config c;
  for (const auto& [name, def] : kBoosterParams) c.params[name] = def;
  c.params["n_estimators"] = "100";
  c.params["eta"] = "0.3";
  for (const auto& [name, value] : given) {
    std::string key = name == "learning_rate" ? "eta" : name;
    if (!c.params.count(key) && key != "task" && key != "objective") {
      return absl::InvalidArgumentError("param \"" + name + "\": unknown for xgboost");
    }
    c.params[key] = value;
  }
  for (const auto& [name, value] : c.params) {
    if (name == "task" || name == "objective") continue;
    auto v = ParseDouble(value);
    if (!v || *v < 0) return BadParam(name, value, "a number >= 0");
  }
  auto rounds = ParseInt64(c.params["n_estimators"]);
  if (!rounds || *rounds < 1 || *rounds > 100000) {
    return BadParam("n_estimators", c.params["n_estimators"], "an integer in [1, 100000]");
  }
  c.rounds = static_cast<int>(*rounds);
  if (c.params.count("task") && c.params["task"] != "classification" &&
      c.params["task"] != "regression") {
    return BadParam("task", c.params["task"], "\"classification\" or \"regression\"");
  }
  return c;
}

// Rows x features, row-major, NaN for missing.
std::vector<double> FeatureMatrix(const Frame& f, const std::vector<std::string>& features) {
  const size_t rows = f.rows();
  std::vector<double> m(rows * features.size());
  for (size_t j = 0; j < features.size(); ++j) {
    const Column* col = f.Find(features[j]);
    for (size_t i = 0; i < rows; ++i) m[i * features.size() + j] = col->numbers[i];
  }
  return m;
}

absl::Status CheckColumns(const Frame& f, const std::vector<std::string>& features,
                          const std::string& target, const char* which) {
  for (const std::string& name : features) {
    const Column* c = f.Find(name);
    if (c == nullptr || !c->numeric) {
      return absl::InvalidArgumentError(std::string(which) + " data: numeric column \"" + name +
                                        "\" not found");
    }
  }
  const Column* t = f.Find(target);
  if (t == nullptr) {
    return absl::InvalidArgumentError(std::string(which) + " data: target column \"" + target +
                                      "\" not found");
  }
  if (!t->numeric) {
    return absl::InvalidArgumentError("target column \"" + target + "\" must be numeric");
  }
  for (size_t i = 0; i < t->numbers.size(); ++i) {
    if (std::isnan(t->numbers[i])) {
      return absl::InvalidArgumentError(std::string(which) + " data: target column \"" + target +
                                        "\" is missing at row " + std::to_string(i));
    }
  }
  return absl::OkStatus();
}

// Decides the task and objective; fills info.classes for classifiers.
absl::Status ChooseObjective(const Column& target, Config& c, ModelInfo& info) {
  std::set<double> distinct(target.numbers.begin(), target.numbers.end());
  const bool integral =
      std::all_of(distinct.begin(), distinct.end(), [](double v) { return v == std::floor(v); });
  const std::string task = c.params.count("task") ? c.params["task"] : "";
  c.classification =
      task.empty() ? integral && distinct.size() <= kMaxClasses : task == "classification";
  c.params["task"] = c.classification ? "classification" : "regression";
  if (c.classification) {
    if (!integral) return absl::InvalidArgumentError("classification needs integer labels");
    if (distinct.size() < 2) {
      return absl::InvalidArgumentError("classification needs at least 2 distinct labels");
    }
    for (double v : distinct) info.classes.push_back(static_cast<int64_t>(v));
  }
  if (!c.params.count("objective")) {
    c.params["objective"] = !c.classification      ? "reg:squarederror"
                            : distinct.size() == 2 ? "binary:logistic"
                                                   : "multi:softprob";
  }
  info.objective = c.params["objective"];
  info.kind = KindOfObjective(info.objective);
  if (c.classification != (info.kind != OutputKind::kValue)) {
    return BadParam("objective", info.objective,
                    c.classification ? "a classification objective" : "a regression objective");
  }
  if (info.kind != OutputKind::kValue && info.objective != "binary:logistic") {
    c.params["num_class"] = std::to_string(info.classes.size());
  }
  if (info.objective == "binary:logistic" && info.classes.size() != 2) {
    return BadParam("objective", info.objective, "multi:softprob for more than 2 classes");
  }
  return absl::OkStatus();
}

std::vector<float> Labels(const Column& target, const ModelInfo& info) {
  std::vector<float> labels;
  for (double v : target.numbers) {
    if (info.classes.empty()) {
      labels.push_back(static_cast<float>(v));
    } else {
      auto it = std::lower_bound(info.classes.begin(), info.classes.end(), static_cast<int64_t>(v));
      labels.push_back(static_cast<float>(it - info.classes.begin()));
    }
  }
  return labels;
}

void AddClassifierMetrics(const Column& target, const ModelInfo& info,
                          const std::vector<float>& raw, const std::string& prefix,
                          std::map<std::string, double>& metrics) {
  const size_t c = info.classes.size();
  std::vector<int64_t> actual, predicted;
  std::vector<double> probs, score;
  for (size_t i = 0; i < target.numbers.size(); ++i) {
    auto it = std::find(info.classes.begin(), info.classes.end(),
                        static_cast<int64_t>(target.numbers[i]));
    if (it == info.classes.end() || target.numbers[i] != std::floor(target.numbers[i])) continue;
    std::vector<double> p(c);
    if (c == 2 && raw.size() == target.numbers.size()) {
      p = {1.0 - raw[i], raw[i]};
    } else {
      for (size_t k = 0; k < c; ++k) p[k] = raw[i * c + k];
    }
    actual.push_back(it - info.classes.begin());
    predicted.push_back(std::max_element(p.begin(), p.end()) - p.begin());
    score.push_back(p[1 % c]);
    probs.insert(probs.end(), p.begin(), p.end());
  }
  metrics[prefix + "accuracy"] = Accuracy(actual, predicted);
  metrics[prefix + "log_loss"] = LogLoss(actual, probs, c);
  metrics[prefix + "f1_macro"] = F1Macro(actual, predicted);
  if (c == 2) metrics[prefix + "roc_auc"] = RocAuc(actual, score);
}

absl::Status Evaluate(const Booster& booster, const Frame& f, const std::string& target,
                      const ModelInfo& info, const std::string& prefix,
                      std::map<std::string, double>& metrics) {
  if (f.rows() == 0) return absl::OkStatus();
  const std::vector<double> x = FeatureMatrix(f, info.features);
  ASSIGN_OR_RETURN(std::vector<float> raw,
                   PredictDense(booster, x.data(), f.rows(), info.features.size()));
  const Column& t = *f.Find(target);
  if (info.kind == OutputKind::kProbabilities) {
    AddClassifierMetrics(t, info, raw, prefix, metrics);
  } else if (info.kind == OutputKind::kValue) {
    std::vector<double> pred(raw.begin(), raw.end());
    metrics[prefix + "rmse"] = Rmse(t.numbers, pred);
    metrics[prefix + "mae"] = Mae(t.numbers, pred);
    metrics[prefix + "r2"] = R2(t.numbers, pred);
  }
  return absl::OkStatus();
}

class XgboostTrainer : public Trainer {
 public:
  // Trainer
  absl::StatusOr<TrainResult> Train(const TrainSpec& spec) override;

 private:
  absl::StatusOr<Booster> Fit(const TrainSpec& spec, const Config& c, const ModelInfo& info);
};

absl::StatusOr<Booster> XgboostTrainer::Fit(const TrainSpec& spec, const Config& c,
                                            const ModelInfo& info) {
  const Frame& train = *spec.train;
  const std::vector<double> x = FeatureMatrix(train, info.features);
  ASSIGN_OR_RETURN(DMatrix dtrain, DMatrix::FromDense(std::vector<float>(x.begin(), x.end()),
                                                      train.rows(), info.features.size()));
  RETURN_IF_ERROR(dtrain.SetLabels(Labels(*train.Find(spec.target), info)));
  ASSIGN_OR_RETURN(Booster booster, Booster::Create({dtrain.get()}));
  for (const auto& [name, value] : c.params) {
    if (name == "n_estimators" || name == "task") continue;
    RETURN_IF_ERROR(booster.SetParam(name, value));
  }
  for (int i = 0; i < c.rounds; ++i) {
    RETURN_IF_ERROR(Check(XGBoosterUpdateOneIter(booster.get(), i, dtrain.get()),
                          "round " + std::to_string(i + 1)));
    if (spec.progress) {
      ReportTraining(spec, i + 1, c.rounds,
                     "tree " + std::to_string(i + 1) + "/" + std::to_string(c.rounds));
    }
  }
  return booster;
}

absl::StatusOr<TrainResult> XgboostTrainer::Train(const TrainSpec& spec) {
  if (spec.train == nullptr || spec.train->rows() == 0) {
    return absl::InvalidArgumentError("no training rows");
  }
  ASSIGN_OR_RETURN(Config c, ParseParams(spec.params));
  ModelInfo info;
  for (const Column& col : spec.train->columns) {
    if (col.numeric && col.name != spec.target) info.features.push_back(col.name);
  }
  if (info.features.empty()) return absl::InvalidArgumentError("no numeric feature columns");
  RETURN_IF_ERROR(CheckColumns(*spec.train, info.features, spec.target, "train"));
  const bool has_test = spec.test != nullptr && spec.test->rows() > 0;
  if (has_test) RETURN_IF_ERROR(CheckColumns(*spec.test, info.features, spec.target, "test"));
  RETURN_IF_ERROR(ChooseObjective(*spec.train->Find(spec.target), c, info));
  ASSIGN_OR_RETURN(Booster booster, Fit(spec, c, info));
  RETURN_IF_ERROR(booster.Save(JoinPath(spec.output_dir, kModelFile)));
  RETURN_IF_ERROR(WriteFileAtomic(JoinPath(spec.output_dir, kInfoFile), ModelInfoJson(info)));
  TrainResult result;
  result.schema = SchemaFor(info);
  // Beside model.ubj: MLmodel and its loader, for mlflow.pyfunc.load_model.
  RETURN_IF_ERROR(mlflow_export::WriteMlflowModel(spec.output_dir, result.schema,
                                                  mlflow_export::XgboostPyfunc()));
  result.params = c.params;
  result.format = "xgboost-ubj";
  if (has_test)
    RETURN_IF_ERROR(Evaluate(booster, *spec.test, spec.target, info, "", result.metrics));
  RETURN_IF_ERROR(Evaluate(booster, *spec.train, spec.target, info, "train_", result.metrics));
  return result;
}

}  // namespace

TrainerPtr NewXgboostTrainer() { return std::make_unique<XgboostTrainer>(); }

}  // namespace ferry::runtime::xgboost
