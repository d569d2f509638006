#include "runtime/recommender/item_knn.h"

#include <algorithm>
#include <cmath>

namespace ferry::runtime::recommender {

NeighbourLists TrainItemKnn(const std::vector<Sequence>& sessions, size_t num_items,
                            int max_neighbours) {
  // Sessions as sets: the cosine counts sessions, not repeats within one.
  std::vector<Sequence> sets(sessions.size());
  for (size_t s = 0; s < sessions.size(); ++s) {
    sets[s] = sessions[s];
    std::sort(sets[s].begin(), sets[s].end());
    sets[s].erase(std::unique(sets[s].begin(), sets[s].end()), sets[s].end());
  }
  const Postings postings = BuildPostings(sets, num_items);
  auto sessions_of = [&](size_t item) {
    return static_cast<double>(postings.offsets[item + 1] - postings.offsets[item]);
  };
  NeighbourLists knn;
  knn.lists.resize(num_items);
  std::vector<double> together(num_items, 0);
  std::vector<int32_t> touched;
  for (size_t a = 0; a < num_items; ++a) {
    touched.clear();
    for (size_t e = postings.offsets[a]; e < postings.offsets[a + 1]; ++e) {
      for (int32_t b : sets[postings.at[e].first]) {
        if (b == static_cast<int32_t>(a)) continue;
        if (together[b] == 0) touched.push_back(b);
        together[b] += 1;
      }
    }
    for (int32_t b : touched) together[b] /= std::sqrt(sessions_of(a) * sessions_of(b));
    knn.Keep(static_cast<int32_t>(a), together, touched, max_neighbours);
    for (int32_t b : touched) together[b] = 0;
  }
  return knn;
}

}  // namespace ferry::runtime::recommender
