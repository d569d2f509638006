#include "runtime/recommender/sequential_rules.h"

#include <algorithm>

namespace ferry::runtime::recommender {

NeighbourLists TrainSequentialRules(const std::vector<Sequence>& sessions, size_t num_items,
                                    int window, int max_rules) {
  const Postings postings = BuildPostings(sessions, num_items);
  NeighbourLists rules;
  rules.lists.resize(num_items);
  // One dense accumulator for the item being trained, cleared through `touched`.
  std::vector<double> weight(num_items, 0);
  std::vector<int32_t> touched;
  for (size_t a = 0; a < num_items; ++a) {
    touched.clear();
    for (size_t e = postings.offsets[a]; e < postings.offsets[a + 1]; ++e) {
      const auto [s, i] = postings.at[e];
      const Sequence& seq = sessions[s];
      const size_t end = std::min(seq.size(), static_cast<size_t>(i) + 1 + window);
      for (size_t j = i + 1; j < end; ++j) {
        const int32_t b = seq[j];
        if (b == static_cast<int32_t>(a)) continue;
        if (weight[b] == 0) touched.push_back(b);
        weight[b] += 1.0 / static_cast<double>(j - i);
      }
    }
    rules.Keep(static_cast<int32_t>(a), weight, touched, max_rules);
    for (int32_t b : touched) weight[b] = 0;
  }
  return rules;
}

}  // namespace ferry::runtime::recommender
