#pragma once
// The "recommender" model family: next-item recommendation for sessions
// (recommender_model.h describes the methods).
//
// Training data: one row per interaction with columns `session`, `item` and optionally
// `time` (names via params session_col, item_col, time_col); ids may be text or integers.
// Rows are grouped by session and ordered by time (row order without a time column).
// Sessions are ordered by their first time. Params: method [sr] (sr|vsknn|iknn|pop,
// recommender_model.h), k [10], window [3] and max_neighbours [100] (sr, iknn), neighbours
// [500], sample [2000] and similarity [cosine] (vsknn: cosine|vec).
// Metrics (evaluation.h) on the test sessions (at most 10000 predictions, the latest
// sessions') and the train sessions ("train_", at most 2000): hit_rate_at_{1,5,10,20},
// mrr_at_20, coverage_at_20, events, and the popularity baseline's
// popularity_hit_rate_at_20 and popularity_mrr_at_20; every next item of a session is a
// target, the items before it the input.
//
// Serving: input "session" BYTES [-1], one session per element as space-separated item ids
// (most recent last); outputs "items" BYTES [-1,k] and "scores" FP64 [-1,k].
// Model file: model.json (format in recommender_model.h).

#include "runtime/family.h"

namespace ferry::runtime {

FamilyPtr NewRecommenderFamily();

}  // namespace ferry::runtime
