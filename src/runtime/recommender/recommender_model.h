#pragma once
// The sequence-aware recommender's model: item-to-item transition rules with recency
// weighting, plus item popularity as the fallback. Pure computation, no I/O.
//
// Training: for every session (items in time order) and every pair of positions i < j with
// j - i <= window and different items a = s[i], b = s[j], rule(a -> b) += 1 / (j - i). Each
// item keeps its `max_neighbours` strongest rules (ties broken by item id).
//
// Recommending for a session x_1 .. x_m (most recent last): score(b) = sum over the last
// `window` items, d = 1 for x_m, 2 for x_{m-1}, ..., of rule(x_{m-d+1} -> b) / d. Items not
// seen in training are ignored. The last item of the session is never recommended (earlier
// items may be: people go back to them); the k best-scoring items are returned, best first,
// ties by popularity then id. When fewer than k items score, the rest are filled with the
// most popular items not yet listed, with score 0; when the catalogue is too small, with ""
// and score 0.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace ferry::runtime::recommender {

struct Params {
  int window = 3;
  int max_neighbours = 100;
  int k = 10;
};

struct Recommendation {
  std::vector<std::string> items;  // exactly k entries
  std::vector<double> scores;      // exactly k entries
};

class Model {
 public:
  // `sessions` hold item ids in time order.
  static Model Train(const std::vector<std::vector<std::string>>& sessions, const Params& p);

  // model.json: {"format": "ferry-recommender", "version": 1, "window": w, "k": k,
  // "max_neighbours": n, "items": [ids], "popularity": [counts],
  // "neighbours": [[[item index, weight], ...] per item]}.
  std::string ToJson() const;
  // kDataLoss naming what is wrong for a malformed document.
  static absl::StatusOr<Model> FromJson(std::string_view text);

  Recommendation Recommend(const std::vector<std::string_view>& session, int k) const;
  // The k most popular items (same exclusion and padding): the baseline the rules must beat.
  Recommendation Popular(const std::vector<std::string_view>& session, int k) const;

  const Params& params() const { return params_; }
  size_t num_items() const { return items_.size(); }

 private:
  using Neighbours = std::vector<std::pair<int32_t, double>>;  // (item index, weight)

  int Index(std::string_view item) const;
  Recommendation Fill(std::vector<std::pair<int32_t, double>> scored, int exclude, int k) const;
  void BuildIndex();

  Params params_;
  std::vector<std::string> items_;
  std::vector<int64_t> popularity_;
  std::vector<Neighbours> neighbours_;
  std::vector<int32_t> by_popularity_;  // item indices, most popular first
  std::map<std::string, int32_t, std::less<>> index_;
};

// Splits `n` sessions into train/test: session i goes to test when a hash of its position
// and `seed` falls below `test_fraction`. Returns the test session indices in order.
std::vector<size_t> HeldOutSessions(size_t n, double test_fraction, uint64_t seed);

struct RankingMetrics {
  double hit_rate = 0;  // fraction of sessions whose last item is among the k recommended
  double mrr = 0;       // mean of 1/rank of the last item (0 when not recommended)
  size_t sessions = 0;  // sessions with at least 2 items (the ones evaluated)
};

// Evaluates next-item prediction: for each session with >= 2 items, its earlier items are
// the input and its last item the target. `popular_only` evaluates the popularity baseline.
RankingMetrics EvaluateNextItem(const Model& m, const std::vector<std::vector<std::string>>& s,
                                int k, bool popular_only = false);

}  // namespace ferry::runtime::recommender
