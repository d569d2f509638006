#pragma once
// SR, sequential rules (Ludewig & Jannach, "Evaluation of session-based recommendation
// algorithms", 2018): for every session and every pair of positions i < j with j - i <=
// window and different items a = s[i], b = s[j], rule(a -> b) += 1 / (j - i). Each item keeps
// its `max_rules` strongest rules. Recommending uses the session's last item only:
// score(b) = rule(last -> b) (NeighbourLists::Score with depth 1). Pure computation.

#include "runtime/recommender/scores.h"

namespace ferry::runtime::recommender {

NeighbourLists TrainSequentialRules(const std::vector<Sequence>& sessions, size_t num_items,
                                    int window, int max_rules);

}  // namespace ferry::runtime::recommender
