#pragma once
// The "recommender" model family: next-item recommendation for sessions
// (recommender_model.h describes the rules).
//
// Training data: one row per interaction with columns `session`, `item` and optionally
// `time` (names via params session_col, item_col, time_col); ids may be text or integers.
// Rows are grouped by session and ordered by time (row order without a time column).
// Params: window [3], max_neighbours [100], k [10].
// Metrics on the test sessions (and train sessions, "train_"): hit_rate_at_<k>, mrr_at_<k>,
// and the popularity baseline's popularity_hit_rate_at_<k>, popularity_mrr_at_<k>; the
// target of each session is its last item, its earlier items the input.
//
// Serving: input "session" BYTES [-1], one session per element as space-separated item ids
// (most recent last); outputs "items" BYTES [-1,k] and "scores" FP64 [-1,k].
// Model file: model.json (format in recommender_model.h).

#include "runtime/family.h"

namespace ferry::runtime {

FamilyPtr NewRecommenderFamily();

}  // namespace ferry::runtime
