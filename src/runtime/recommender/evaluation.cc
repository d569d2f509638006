#include "runtime/recommender/evaluation.h"

#include <algorithm>

namespace ferry::runtime::recommender {

size_t PessimisticRank(const ScoreList& scores, int32_t target) {
  double mine = 0;
  for (const Scored& s : scores) {
    if (s.item == target) mine = s.score;
  }
  if (!(mine > 0)) return 0;
  size_t above = 0;
  for (const Scored& s : scores) {
    if (s.item != target && s.score >= mine) ++above;
  }
  return above + 1;
}

Metrics EvaluateNextItem(const std::vector<Sequence>& sessions, size_t num_items,
                         const Scorer& scorer, size_t max_events) {
  Metrics m;
  std::array<size_t, kCutoffs.size()> hits = {};
  double reciprocal = 0;
  std::vector<bool> shown(num_items, false);
  Sequence input;
  ScoreList scores;
  for (const Sequence& session : sessions) {
    input.clear();
    for (size_t t = 0; t + 1 < session.size() && m.events < max_events; ++t) {
      if (session[t] >= 0) input.push_back(session[t]);
      const int32_t target = session[t + 1];
      ++m.events;
      scorer(input, scores);
      const size_t rank = target < 0 ? 0 : PessimisticRank(scores, target);
      for (size_t c = 0; c < kCutoffs.size(); ++c) {
        if (rank >= 1 && rank <= static_cast<size_t>(kCutoffs[c])) ++hits[c];
      }
      if (rank >= 1 && rank <= kMrrCutoff) reciprocal += 1.0 / static_cast<double>(rank);
      // The top 20 as served: best score first, ties by index.
      const size_t top = std::min(scores.size(), static_cast<size_t>(kCoverageCutoff));
      std::partial_sort(scores.begin(), scores.begin() + top, scores.end(),
                        [](const Scored& a, const Scored& b) {
                          return a.score != b.score ? a.score > b.score : a.item < b.item;
                        });
      for (size_t i = 0; i < top; ++i) {
        if (scores[i].score > 0 && static_cast<size_t>(scores[i].item) < num_items) {
          shown[scores[i].item] = true;
        }
      }
    }
  }
  if (m.events > 0) {
    const double n = static_cast<double>(m.events);
    for (size_t c = 0; c < kCutoffs.size(); ++c) m.hit_rate[c] = hits[c] / n;
    m.mrr = reciprocal / n;
  }
  if (num_items > 0) {
    m.coverage = static_cast<double>(std::count(shown.begin(), shown.end(), true)) /
                 static_cast<double>(num_items);
  }
  return m;
}

}  // namespace ferry::runtime::recommender
