#include "runtime/recommender/session_knn.h"

#include <algorithm>
#include <cmath>
#include <queue>

namespace ferry::runtime::recommender {
namespace {

struct Cursor {
  int32_t session;  // the session this cursor points at
  size_t at, end;   // position in recent_ and the end of the item's list
  double weight;    // the query item's decay weight
  bool operator<(const Cursor& o) const { return session < o.session; }
};

// The query's distinct items with their linear decay weights.
std::vector<Scored> DecayWeights(std::span<const int32_t> session) {
  const double m = static_cast<double>(session.size());
  std::vector<Scored> w;
  for (size_t p = 0; p < session.size(); ++p) {
    w.push_back({session[p], static_cast<double>(p + 1) / m});
  }
  // Latest occurrence wins: stable sort by item, keep the last of each run.
  std::stable_sort(w.begin(), w.end(),
                   [](const Scored& a, const Scored& b) { return a.item < b.item; });
  std::vector<Scored> out;
  for (size_t i = 0; i < w.size(); ++i) {
    if (i + 1 < w.size() && w[i + 1].item == w[i].item) continue;
    out.push_back(w[i]);
  }
  return out;
}

}  // namespace

SessionKnn SessionKnn::Train(const std::vector<Sequence>& sessions, size_t num_items) {
  return FromSets(sessions, num_items);
}

SessionKnn SessionKnn::FromSets(std::vector<Sequence> sets, size_t num_items) {
  SessionKnn k;
  k.sets_ = std::move(sets);
  for (Sequence& s : k.sets_) {
    std::sort(s.begin(), s.end());
    s.erase(std::unique(s.begin(), s.end()), s.end());
  }
  k.offsets_.assign(num_items + 1, 0);
  for (const Sequence& s : k.sets_) {
    for (int32_t item : s) ++k.offsets_[item + 1];
  }
  for (size_t i = 0; i < num_items; ++i) k.offsets_[i + 1] += k.offsets_[i];
  k.recent_.resize(k.offsets_[num_items]);
  std::vector<size_t> next(k.offsets_.begin() + 1, k.offsets_.end());
  // Filling each list from its end with sessions in ascending order leaves it descending.
  for (size_t s = 0; s < k.sets_.size(); ++s) {
    for (int32_t item : k.sets_[s]) k.recent_[--next[item]] = static_cast<int32_t>(s);
  }
  return k;
}

void SessionKnn::Score(std::span<const int32_t> session, const SessionKnnParams& p,
                       ScoreList& out) const {
  out.clear();
  if (session.empty()) return;
  const std::vector<Scored> query = DecayWeights(session);
  // Merge the query items' session lists, most recent session first, until `sample` distinct
  // sessions are seen; a session's shared items arrive together and add up its similarity.
  std::priority_queue<Cursor> heap;
  for (const Scored& q : query) {
    const size_t at = offsets_[q.item], end = offsets_[q.item + 1];
    if (at < end) heap.push({recent_[at], at, end, q.score});
  }
  const double n = static_cast<double>(query.size());
  std::vector<Scored> candidates;  // (session, similarity)
  while (!heap.empty() && static_cast<int>(candidates.size()) < p.sample) {
    const int32_t s = heap.top().session;
    double shared = 0;
    while (!heap.empty() && heap.top().session == s) {
      Cursor c = heap.top();
      heap.pop();
      shared += c.weight;
      if (++c.at < c.end) {
        c.session = recent_[c.at];
        heap.push(c);
      }
    }
    const double sim = p.similarity == Similarity::kVec
                           ? shared / n
                           : shared / std::sqrt(n * static_cast<double>(sets_[s].size()));
    candidates.push_back({s, sim});
  }
  auto closer = [](const Scored& a, const Scored& b) {
    return a.score != b.score ? a.score > b.score : a.item > b.item;
  };
  if (candidates.size() > static_cast<size_t>(p.neighbours)) {
    std::nth_element(candidates.begin(), candidates.begin() + p.neighbours, candidates.end(),
                     closer);
    candidates.resize(p.neighbours);
  }
  std::vector<Scored> votes;
  for (const Scored& c : candidates) {
    for (int32_t item : sets_[c.item]) votes.push_back({item, c.score});
  }
  auto by_item = [](const Scored& a, const Scored& b) { return a.item < b.item; };
  std::sort(votes.begin(), votes.end(), by_item);
  for (const Scored& v : votes) {
    if (std::binary_search(query.begin(), query.end(), v, by_item)) continue;
    if (!out.empty() && out.back().item == v.item) {
      out.back().score += v.score;
    } else {
      out.push_back(v);
    }
  }
}

}  // namespace ferry::runtime::recommender
