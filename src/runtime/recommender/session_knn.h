#pragma once
// V-SKNN, session-based k nearest neighbours with position decay (Ludewig & Jannach 2018,
// "vsknn" in session-rec). The training sessions are kept as item sets, with each item's
// sessions listed most recent first.
//
// Recommending for a session x_1 .. x_m: item x_p weighs p / m (linear decay: the most recent
// item 1; a repeated item its latest weight). The `sample` most recent training sessions that
// share an item with the session are the candidates; each candidate n gets
//   vec:    sim = sum of the weights of the shared items / (distinct items of the session)
//   cosine: sim = sum of the weights of the shared items / sqrt(|session| |n|)
// (distinct items). The `neighbours` most similar candidates (ties: the more recent) vote:
// score(b) = sum over those neighbours n that contain b of sim(n) / step(n), where step(n) is
// the position from the end of the latest session item n shares (1 for the last item:
// session-rec's vsknn with weighting_score "div"). Items of the session itself get
// no score: every neighbour shares some of them by construction, so their votes would only
// echo the session back. Pure computation.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/recommender/scores.h"

namespace ferry::runtime::recommender {

enum class Similarity { kVec, kCosine };

struct SessionKnnParams {
  int neighbours = 500;
  int sample = 2000;
  Similarity similarity = Similarity::kCosine;
};

class SessionKnn {
 public:
  // `sessions` in time order (the last is the most recent).
  static SessionKnn Train(const std::vector<Sequence>& sessions, size_t num_items);
  // `sets`: the sessions' items (made distinct here), each < num_items (the caller checks).
  static SessionKnn FromSets(std::vector<Sequence> sets, size_t num_items);

  void Score(std::span<const int32_t> session, const SessionKnnParams& p, ScoreList& out) const;

  size_t num_sessions() const { return set_offsets_.size() - 1; }
  // Training session `s`'s distinct items, ascending.
  std::span<const int32_t> set(size_t s) const {
    return {set_items_.data() + set_offsets_[s], set_offsets_[s + 1] - set_offsets_[s]};
  }

 private:
  struct Posting {
    int32_t session;
    int32_t size;  // its number of distinct items (read here, not in the session: one cache
                   // miss less per candidate)
  };

  size_t num_items_ = 0;
  std::vector<size_t> set_offsets_ = {0};  // session s: set_items_[set_offsets_[s] .. [s + 1])
  std::vector<int32_t> set_items_;
  std::vector<size_t> offsets_;  // item a's sessions: recent_[offsets_[a] .. offsets_[a + 1])
  std::vector<Posting> recent_;  // most recent session first
};

}  // namespace ferry::runtime::recommender
