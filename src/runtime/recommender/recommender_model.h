#pragma once
// The session recommender's model: a catalogue of item ids with their popularity, and one of
// the methods of seed 001's comparison (Ludewig & Jannach 2018), chosen at training time:
//   sr     sequential rules (sequential_rules.h), the session's last item as the query
//          [default: the best HR@20 and MRR@20 on the planted data, and the cheapest]
//   vsknn  session kNN with linear position decay (session_knn.h)
//   iknn   item-to-item cosine on session co-occurrence (item_knn.h), last item as the query
//   pop    the most popular items
// Pure computation, no I/O.
//
// Recommending for a session (item ids, most recent last): unknown ids are dropped; the
// method scores items; the session's last (known) item is never recommended (earlier ones may be:
// people go back to them); the k best-scoring items are returned, best first, ties by
// popularity then id. When fewer than k items score, the rest are the most popular items
// not yet listed, with score 0; when the catalogue is too small, "" with score 0.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "runtime/recommender/scores.h"
#include "runtime/recommender/session_knn.h"

namespace ferry {
class JsonValue;
}

namespace ferry::runtime::recommender {

enum class Method { kSr, kVsknn, kIknn, kPop };
std::string_view MethodName(Method m);
std::optional<Method> ParseMethod(std::string_view name);
std::optional<Similarity> ParseSimilarity(std::string_view name);

struct Params {
  Method method = Method::kSr;
  int k = 10;                // recommendations per session
  int window = 3;            // SR: rules span at most this many positions
  int max_neighbours = 100;  // SR, IKNN: rules / similar items kept per item
  SessionKnnParams knn;      // V-SKNN: neighbours, sample, similarity
};

struct Recommendation {
  std::vector<std::string> items;  // exactly k entries
  std::vector<double> scores;      // exactly k entries
};

class Model {
 public:
  // `sessions` hold item ids in time order, the sessions themselves in time order (V-SKNN
  // samples the most recent ones).
  static Model Train(const std::vector<std::vector<std::string>>& sessions, const Params& p);

  // model.json, version 2: {"format": "ferry-recommender", "version": 2, "method": m,
  // "k", "window", "max_neighbours", "session_neighbours", "sample", "similarity",
  // "items": [ids], "popularity": [counts], and for sr/iknn "rules": ["b:w b:w ..." per item]
  // (item indices and weights), for vsknn "sessions": ["a b c" per training session]}.
  // Version 1 files (the transition rules before methods existed: "neighbours": [[[b, w],
  // ...] per item]) still load, as sr querying the last `window` items with weight 1/d.
  std::string ToJson() const;
  // kDataLoss naming what is wrong for a malformed document.
  static absl::StatusOr<Model> FromJson(std::string_view text);

  Recommendation Recommend(const std::vector<std::string_view>& session, int k) const;

  // Index-level access (evaluation, benchmarks): -1 for an unknown id.
  int32_t Index(std::string_view item) const;
  const std::string& item(int32_t index) const { return items_[index]; }
  // The method's scores for a session of known indices, the last item left out.
  void Score(std::span<const int32_t> session, ScoreList& out) const;
  // The popularity baseline's scores (the 100 most popular items, or k if more).
  void ScorePopular(std::span<const int32_t> session, ScoreList& out) const;

  const Params& params() const { return params_; }
  size_t num_items() const { return items_.size(); }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };

  void BuildIndex();
  Recommendation TopK(ScoreList scored, int32_t exclude, int k) const;
  absl::Status ReadV1(const JsonValue& doc);
  absl::Status ReadV2(const JsonValue& doc);

  Params params_;
  int sr_depth_ = 1;  // SR query depth: 1 (the paper), the window for version 1 files
  std::vector<std::string> items_;
  std::vector<int64_t> popularity_;
  NeighbourLists rules_;                // sr, iknn
  SessionKnn knn_;                      // vsknn
  std::vector<int32_t> by_popularity_;  // item indices, most popular first
  std::unordered_map<std::string, int32_t, Hash, std::equal_to<>> index_;
};

}  // namespace ferry::runtime::recommender
