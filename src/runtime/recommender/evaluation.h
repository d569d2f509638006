#pragma once
// Next-item evaluation of session recommenders (Ludewig & Jannach 2018's protocol): for every
// test session x_1 .. x_n and every t < n, the scorer sees x_1 .. x_t and x_{t+1} is the
// target. Ranks are pessimistic: an item scoring the same as the target counts as ranked
// above it, and a target the scorer did not score (score <= 0) is a miss. Pure computation.

#include <array>
#include <cstddef>
#include <functional>
#include <limits>
#include <span>

#include "runtime/recommender/scores.h"

namespace ferry::runtime::recommender {

inline constexpr std::array<int, 4> kCutoffs = {1, 5, 10, 20};
inline constexpr int kMrrCutoff = 20;
inline constexpr int kCoverageCutoff = 20;

struct Metrics {
  std::array<double, 4> hit_rate = {};  // HR@kCutoffs[i]: targets ranked within the cutoff
  double mrr = 0;                       // MRR@20: mean of 1/rank, 0 beyond rank 20
  double coverage = 0;                  // coverage@20: catalogue share that appears in some top 20
  size_t events = 0;                    // predictions evaluated
};

// Scores for a session (indices), as Model::Score.
using Scorer = std::function<void(std::span<const int32_t> session, ScoreList& out)>;

// 1 + the number of other items scoring at least the target's score; 0 when the target is
// not scored (absent or score <= 0).
size_t PessimisticRank(const ScoreList& scores, int32_t target);

// `sessions` index a catalogue of `num_items` items (the coverage denominator); -1 marks an
// item the scorer does not know: dropped from inputs, a miss as a target. At most
// `max_events` predictions, taken from the first sessions.
Metrics EvaluateNextItem(const std::vector<Sequence>& sessions, size_t num_items,
                         const Scorer& scorer,
                         size_t max_events = std::numeric_limits<size_t>::max());

}  // namespace ferry::runtime::recommender
