#include "runtime/recommender/recommender_family.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <limits>
#include <unordered_map>

#include "common/fs.h"
#include "common/strings.h"
#include "runtime/recommender/evaluation.h"
#include "runtime/recommender/recommender_model.h"

namespace ferry::runtime {
namespace {

using recommender::Model;

constexpr char kModelFile[] = "model.json";

ModelSchema SchemaFor(int k) {
  ModelSchema s;
  s.inputs.push_back({"session", DataType::kBytes, {-1}, {}, false});
  s.outputs.push_back({"items", DataType::kBytes, {-1, k}, {}, false});
  s.outputs.push_back({"scores", DataType::kFp64, {-1, k}, {}, false});
  return s;
}

std::vector<std::string_view> Tokens(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    size_t j = i;
    while (j < s.size() && !std::isspace(static_cast<unsigned char>(s[j]))) ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

// The id in row `i` of `c`: text as is, integers without a decimal point; "" for missing.
std::string CellId(const Column& c, size_t i) {
  if (!c.numeric) return c.strings[i];
  const double v = c.numbers[i];
  if (std::isnan(v)) return "";
  if (v == std::floor(v) && std::abs(v) < 9e15) return std::to_string(static_cast<int64_t>(v));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

struct Columns {
  std::string session = "session", item = "item", time = "time";
  bool time_given = false;
};

// Groups rows into sessions, each ordered by time (stable), the sessions by their first time
// (first-appearance order without a time column).
absl::StatusOr<std::vector<std::vector<std::string>>> Sessions(const Frame& f, const Columns& cols,
                                                               const char* which) {
  const Column* s = f.Find(cols.session);
  const Column* it = f.Find(cols.item);
  const Column* t = f.Find(cols.time);
  for (auto [c, name] : {std::pair{s, cols.session}, std::pair{it, cols.item}}) {
    if (c == nullptr) {
      return absl::InvalidArgumentError(std::string(which) + " data: column \"" + name +
                                        "\" not found");
    }
  }
  if (t == nullptr && cols.time_given) {
    return absl::InvalidArgumentError(std::string(which) + " data: column \"" + cols.time +
                                      "\" not found");
  }
  if (t != nullptr && !t->numeric) {
    return absl::InvalidArgumentError("column \"" + cols.time + "\" must be numeric");
  }
  std::unordered_map<std::string, size_t> index;
  std::vector<std::vector<std::pair<double, std::string>>> rows;
  for (size_t i = 0; i < f.rows(); ++i) {
    std::string id = CellId(*s, i), item = CellId(*it, i);
    if (id.empty() || item.empty()) continue;
    if (std::any_of(item.begin(), item.end(),
                    [](char ch) { return std::isspace(static_cast<unsigned char>(ch)); })) {
      return absl::InvalidArgumentError("item id \"" + item + "\" contains white space");
    }
    auto [pos, added] = index.emplace(id, rows.size());
    if (added) rows.emplace_back();
    double time = t == nullptr ? 0 : t->numbers[i];
    if (std::isnan(time)) time = std::numeric_limits<double>::infinity();
    rows[pos->second].emplace_back(time, std::move(item));
  }
  for (auto& r : rows) {
    std::stable_sort(r.begin(), r.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
  }
  // Sessions in time order (of their first event): V-SKNN samples the most recent ones.
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.front().first < b.front().first; });
  std::vector<std::vector<std::string>> out;
  for (auto& r : rows) {
    std::vector<std::string> seq;
    for (auto& [time, item] : r) seq.push_back(std::move(item));
    out.push_back(std::move(seq));
  }
  return out;
}

absl::Status ParseInt(const std::map<std::string, std::string>& given, const char* name, int lo,
                      int hi, int& out, std::map<std::string, std::string>& used) {
  if (auto it = given.find(name); it != given.end()) {
    auto v = ParseInt64(it->second);
    if (!v || *v < lo || *v > hi) {
      return absl::InvalidArgumentError("param \"" + std::string(name) +
                                        "\": expected an integer in [" + std::to_string(lo) + ", " +
                                        std::to_string(hi) + "], got \"" + it->second + "\"");
    }
    out = static_cast<int>(*v);
  }
  used[name] = std::to_string(out);
  return absl::OkStatus();
}

absl::Status ParseParams(const std::map<std::string, std::string>& given, recommender::Params& p,
                         Columns& cols, std::map<std::string, std::string>& used) {
  static const char* kKnown[] = {"method", "window",     "max_neighbours", "k",        "neighbours",
                                 "sample", "similarity", "session_col",    "item_col", "time_col"};
  for (const auto& [name, value] : given) {
    if (std::find_if(std::begin(kKnown), std::end(kKnown),
                     [&](const char* k) { return name == k; }) == std::end(kKnown)) {
      return absl::InvalidArgumentError("param \"" + name + "\": unknown for recommender");
    }
  }
  if (auto it = given.find("method"); it != given.end()) {
    auto m = recommender::ParseMethod(it->second);
    if (!m) {
      return absl::InvalidArgumentError(
          "param \"method\": expected sr, vsknn, iknn or pop, got \"" + it->second + "\"");
    }
    p.method = *m;
  }
  if (auto it = given.find("similarity"); it != given.end()) {
    auto sim = recommender::ParseSimilarity(it->second);
    if (!sim) {
      return absl::InvalidArgumentError("param \"similarity\": expected vec or cosine, got \"" +
                                        it->second + "\"");
    }
    p.knn.similarity = *sim;
  }
  used["method"] = std::string(recommender::MethodName(p.method));
  used["similarity"] = p.knn.similarity == recommender::Similarity::kVec ? "vec" : "cosine";
  RETURN_IF_ERROR(ParseInt(given, "window", 1, 1000, p.window, used));
  RETURN_IF_ERROR(ParseInt(given, "max_neighbours", 1, 1000000, p.max_neighbours, used));
  RETURN_IF_ERROR(ParseInt(given, "k", 1, 1000, p.k, used));
  RETURN_IF_ERROR(ParseInt(given, "neighbours", 1, 100000, p.knn.neighbours, used));
  RETURN_IF_ERROR(ParseInt(given, "sample", 1, 10000000, p.knn.sample, used));
  if (auto it = given.find("session_col"); it != given.end()) cols.session = it->second;
  if (auto it = given.find("item_col"); it != given.end()) cols.item = it->second;
  if (auto it = given.find("time_col"); it != given.end()) {
    cols.time = it->second;
    cols.time_given = true;
  }
  used["session_col"] = cols.session;
  used["item_col"] = cols.item;
  used["time_col"] = cols.time;
  return absl::OkStatus();
}

// At most this many predictions per evaluation (the most recent sessions'), so that
// evaluating stays a small part of training (V-SKNN costs ~0.1-0.3 ms a prediction).
constexpr size_t kMaxTestEvents = 10000;
constexpr size_t kMaxTrainEvents = 2000;

void AddMetrics(const Model& m, const std::vector<std::vector<std::string>>& sessions,
                const std::string& prefix, std::map<std::string, double>& metrics) {
  const size_t kMaxEvalEvents = prefix.empty() ? kMaxTestEvents : kMaxTrainEvents;
  std::vector<recommender::Sequence> seqs;
  size_t events = 0;
  for (auto s = sessions.rbegin(); s != sessions.rend() && events < kMaxEvalEvents; ++s) {
    recommender::Sequence seq;
    for (const std::string& item : *s) seq.push_back(m.Index(item));
    events += seq.empty() ? 0 : seq.size() - 1;
    seqs.push_back(std::move(seq));
  }
  auto method = [&](std::span<const int32_t> s, recommender::ScoreList& out) { m.Score(s, out); };
  auto popular = [&](std::span<const int32_t> s, recommender::ScoreList& out) {
    m.ScorePopular(s, out);
  };
  const auto r = recommender::EvaluateNextItem(seqs, m.num_items(), method, kMaxEvalEvents);
  if (r.events == 0) return;
  const auto pop = recommender::EvaluateNextItem(seqs, m.num_items(), popular, kMaxEvalEvents);
  for (size_t c = 0; c < recommender::kCutoffs.size(); ++c) {
    metrics[prefix + "hit_rate_at_" + std::to_string(recommender::kCutoffs[c])] = r.hit_rate[c];
  }
  metrics[prefix + "mrr_at_20"] = r.mrr;
  metrics[prefix + "coverage_at_20"] = r.coverage;
  metrics[prefix + "popularity_hit_rate_at_20"] = pop.hit_rate[3];
  metrics[prefix + "popularity_mrr_at_20"] = pop.mrr;
  metrics[prefix + "events"] = static_cast<double>(r.events);
}

class RecommenderTrainer : public Trainer {
 public:
  // Trainer
  absl::StatusOr<TrainResult> Train(const TrainSpec& spec) override {
    if (spec.train == nullptr) return absl::InvalidArgumentError("no training data");
    recommender::Params p;
    Columns cols;
    TrainResult result;
    RETURN_IF_ERROR(ParseParams(spec.params, p, cols, result.params));
    ASSIGN_OR_RETURN(auto train, Sessions(*spec.train, cols, "train"));
    if (train.empty()) return absl::InvalidArgumentError("no training sessions");
    ReportTraining(spec, 1, 3, "sessions grouped");
    Model m = Model::Train(train, p);
    RETURN_IF_ERROR(WriteFileAtomic(JoinPath(spec.output_dir, kModelFile), m.ToJson()));
    ReportTraining(spec, 2, 3, "model trained");
    if (spec.test != nullptr && spec.test->rows() > 0) {
      ASSIGN_OR_RETURN(auto test, Sessions(*spec.test, cols, "test"));
      AddMetrics(m, test, "", result.metrics);
    }
    AddMetrics(m, train, "train_", result.metrics);
    ReportTraining(spec, 3, 3, "evaluated");
    result.schema = SchemaFor(p.k);
    result.format = "ferry-recommender-json";
    return result;
  }
};

class RecommenderPredictor : public Predictor {
 public:
  explicit RecommenderPredictor(Model m) : model_(std::move(m)), schema_(SchemaFor(k())) {}

  // Predictor
  const ModelSchema& schema() const override { return schema_; }
  absl::Status Predict(const std::vector<Tensor>& inputs,
                       std::vector<Tensor>& outputs) const override {
    if (inputs.size() != 1 || inputs[0].datatype != DataType::kBytes) {
      return absl::InvalidArgumentError("expected one BYTES input \"session\"");
    }
    const std::vector<std::string>& sessions = inputs[0].strings;
    std::vector<std::string> items;
    std::vector<double> scores;
    for (const std::string& s : sessions) {
      recommender::Recommendation r = model_.Recommend(Tokens(s), k());
      items.insert(items.end(), r.items.begin(), r.items.end());
      scores.insert(scores.end(), r.scores.begin(), r.scores.end());
    }
    const std::vector<int64_t> shape = {static_cast<int64_t>(sessions.size()), k()};
    outputs.clear();
    outputs.push_back(MakeBytesTensor("items", shape, std::move(items)));
    outputs.push_back(MakeFp64Tensor("scores", shape, scores));
    return absl::OkStatus();
  }

 private:
  int k() const { return model_.params().k; }

  Model model_;
  ModelSchema schema_;
};

class RecommenderFamily : public Family {
 public:
  // Family
  std::string_view name() const override { return "recommender"; }
  TrainerPtr NewTrainer() const override { return std::make_unique<RecommenderTrainer>(); }
  absl::StatusOr<PredictorPtr> Load(const ModelFiles& files) const override {
    const std::string path = JoinPath(files.dir, kModelFile);
    auto text = ReadFile(path);
    if (!text.ok())
      return absl::InvalidArgumentError(path + ": " + std::string(StatusMessage(text.status())));
    ASSIGN_OR_RETURN(Model m, Model::FromJson(*text));
    return PredictorPtr(std::make_unique<RecommenderPredictor>(std::move(m)));
  }
};

}  // namespace

FamilyPtr NewRecommenderFamily() { return std::make_unique<RecommenderFamily>(); }

}  // namespace ferry::runtime
