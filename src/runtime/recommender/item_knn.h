#pragma once
// IKNN, item-to-item nearest neighbours (Hidasi et al.'s baseline, as in Ludewig & Jannach
// 2018): each item is the binary vector of the sessions it occurs in; sim(a, b) is the cosine
// |S_a ∩ S_b| / sqrt(|S_a| |S_b|). Each item keeps its `max_neighbours` most similar items.
// Recommending uses the session's last item only: score(b) = sim(last, b). Pure computation.

#include "runtime/recommender/scores.h"

namespace ferry::runtime::recommender {

NeighbourLists TrainItemKnn(const std::vector<Sequence>& sessions, size_t num_items,
                            int max_neighbours);

}  // namespace ferry::runtime::recommender
