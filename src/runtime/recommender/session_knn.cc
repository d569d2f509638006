#include "runtime/recommender/session_knn.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <queue>

namespace ferry::runtime::recommender {
namespace {

struct Cursor {
  int32_t session;  // the session this cursor points at
  int32_t size;     // its number of distinct items
  size_t at, end;   // position in recent_ and the end of the item's list
  double weight;    // the query item's decay weight
  int step;         // its distance from the end of the query: 1 for the last item
  bool operator<(const Cursor& o) const { return session < o.session; }
};

struct Candidate {
  int32_t session;
  double sim;
  int step;  // of the latest query item the session shares: 1 for the last item
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
  k.num_items_ = num_items;
  k.offsets_.assign(num_items + 1, 0);
  for (Sequence& s : sets) {
    std::sort(s.begin(), s.end());
    s.erase(std::unique(s.begin(), s.end()), s.end());
    k.set_items_.insert(k.set_items_.end(), s.begin(), s.end());
    k.set_offsets_.push_back(k.set_items_.size());
    for (int32_t item : s) ++k.offsets_[item + 1];
  }
  for (size_t i = 0; i < num_items; ++i) k.offsets_[i + 1] += k.offsets_[i];
  k.recent_.resize(k.offsets_[num_items]);
  std::vector<size_t> next(k.offsets_.begin() + 1, k.offsets_.end());
  // Filling each list from its end with sessions in ascending order leaves it descending.
  for (size_t s = 0; s < sets.size(); ++s) {
    for (int32_t item : sets[s]) {
      k.recent_[--next[item]] = {static_cast<int32_t>(s), static_cast<int32_t>(sets[s].size())};
    }
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
  const double n_events = static_cast<double>(session.size());
  for (const Scored& q : query) {
    const size_t at = offsets_[q.item], end = offsets_[q.item + 1];
    const int step = static_cast<int>(std::lround((1 - q.score) * n_events)) + 1;
    if (at < end) heap.push({recent_[at].session, recent_[at].size, at, end, q.score, step});
  }
  const double n = static_cast<double>(query.size());
  std::vector<Candidate> candidates;
  while (!heap.empty() && static_cast<int>(candidates.size()) < p.sample) {
    const int32_t s = heap.top().session;
    const double size = heap.top().size;
    double shared = 0;
    int step = std::numeric_limits<int>::max();
    while (!heap.empty() && heap.top().session == s) {
      Cursor c = heap.top();
      heap.pop();
      shared += c.weight;
      step = std::min(step, c.step);
      if (++c.at < c.end) {
        c.session = recent_[c.at].session;
        c.size = recent_[c.at].size;
        heap.push(c);
      }
    }
    const double sim = p.similarity == Similarity::kVec ? shared / n : shared / std::sqrt(n * size);
    candidates.push_back({s, sim, step});
  }
  auto closer = [](const Candidate& a, const Candidate& b) {
    return a.sim != b.sim ? a.sim > b.sim : a.session > b.session;
  };
  if (candidates.size() > static_cast<size_t>(p.neighbours)) {
    std::nth_element(candidates.begin(), candidates.begin() + p.neighbours, candidates.end(),
                     closer);
    candidates.resize(p.neighbours);
  }
  // Votes add up in a dense per-thread accumulator (no sort): cleared through `out`.
  thread_local std::vector<double> votes;
  if (votes.size() < num_items_) votes.resize(num_items_, 0);
  for (const Candidate& c : candidates) {
    const double vote = c.sim / c.step;
    for (int32_t item : set(c.session)) {
      if (votes[item] == 0) out.push_back({item, 0});
      votes[item] += vote;
    }
  }
  for (const Scored& q : query) {
    if (votes[q.item] != 0) votes[q.item] = -1;  // the session's own items: no score
  }
  size_t kept = 0;
  for (const Scored& o : out) {
    if (votes[o.item] > 0) out[kept++] = {o.item, votes[o.item]};
    votes[o.item] = 0;
  }
  out.resize(kept);
}

}  // namespace ferry::runtime::recommender
