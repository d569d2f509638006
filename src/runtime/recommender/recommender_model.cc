#include "runtime/recommender/recommender_model.h"

#include <algorithm>

#include "runtime/recommender/item_knn.h"
#include "runtime/recommender/sequential_rules.h"

namespace ferry::runtime::recommender {
namespace {

constexpr int kPopularListed = 100;

}  // namespace

std::string_view MethodName(Method m) {
  switch (m) {
    case Method::kSr:
      return "sr";
    case Method::kVsknn:
      return "vsknn";
    case Method::kIknn:
      return "iknn";
    case Method::kPop:
      return "pop";
  }
  return "";
}

std::optional<Method> ParseMethod(std::string_view name) {
  for (Method m : {Method::kSr, Method::kVsknn, Method::kIknn, Method::kPop}) {
    if (MethodName(m) == name) return m;
  }
  return std::nullopt;
}

std::optional<Similarity> ParseSimilarity(std::string_view name) {
  if (name == "vec") return Similarity::kVec;
  if (name == "cosine") return Similarity::kCosine;
  return std::nullopt;
}

Model Model::Train(const std::vector<std::vector<std::string>>& sessions, const Params& p) {
  Model m;
  m.params_ = p;
  std::vector<Sequence> seqs;
  seqs.reserve(sessions.size());
  for (const auto& s : sessions) {
    Sequence seq;
    seq.reserve(s.size());
    for (const std::string& item : s) {
      auto [it, added] = m.index_.emplace(item, static_cast<int32_t>(m.items_.size()));
      if (added) {
        m.items_.push_back(item);
        m.popularity_.push_back(0);
      }
      ++m.popularity_[it->second];
      seq.push_back(it->second);
    }
    seqs.push_back(std::move(seq));
  }
  const size_t n = m.items_.size();
  switch (p.method) {
    case Method::kSr:
      m.rules_ = TrainSequentialRules(seqs, n, p.window, p.max_neighbours);
      break;
    case Method::kIknn:
      m.rules_ = TrainItemKnn(seqs, n, p.max_neighbours);
      break;
    case Method::kVsknn:
      m.knn_ = SessionKnn::Train(seqs, n);
      break;
    case Method::kPop:
      break;
  }
  m.BuildIndex();
  return m;
}

void Model::BuildIndex() {
  index_.clear();
  index_.reserve(items_.size());
  for (size_t i = 0; i < items_.size(); ++i) index_.emplace(items_[i], static_cast<int32_t>(i));
  by_popularity_.resize(items_.size());
  for (size_t i = 0; i < items_.size(); ++i) by_popularity_[i] = static_cast<int32_t>(i);
  std::sort(by_popularity_.begin(), by_popularity_.end(), [&](int32_t a, int32_t b) {
    return popularity_[a] != popularity_[b] ? popularity_[a] > popularity_[b]
                                            : items_[a] < items_[b];
  });
}

int32_t Model::Index(std::string_view item) const {
  auto it = index_.find(item);
  return it == index_.end() ? -1 : it->second;
}

void Model::ScorePopular(std::span<const int32_t> session, ScoreList& out) const {
  out.clear();
  const int32_t exclude = session.empty() ? -1 : session.back();
  const size_t want = static_cast<size_t>(std::max(kPopularListed, params_.k));
  for (size_t i = 0; i < by_popularity_.size() && out.size() < want; ++i) {
    const int32_t item = by_popularity_[i];
    if (item != exclude) out.push_back({item, static_cast<double>(popularity_[item])});
  }
}

void Model::Score(std::span<const int32_t> session, ScoreList& out) const {
  switch (params_.method) {
    case Method::kSr:
      rules_.Score(session, sr_depth_, out);
      break;
    case Method::kIknn:
      rules_.Score(session, 1, out);
      break;
    case Method::kVsknn:
      knn_.Score(session, params_.knn, out);
      break;
    case Method::kPop:
      ScorePopular(session, out);
      return;
  }
  if (session.empty()) return;
  const int32_t exclude = session.back();
  out.erase(std::remove_if(out.begin(), out.end(),
                           [&](const Scored& s) { return s.item == exclude || s.score <= 0; }),
            out.end());
}

Recommendation Model::TopK(ScoreList scored, int32_t exclude, int k) const {
  auto better = [&](const Scored& x, const Scored& y) {
    if (x.score != y.score) return x.score > y.score;
    if (popularity_[x.item] != popularity_[y.item]) {
      return popularity_[x.item] > popularity_[y.item];
    }
    return items_[x.item] < items_[y.item];
  };
  const size_t top = std::min(scored.size(), static_cast<size_t>(k));
  std::partial_sort(scored.begin(), scored.begin() + top, scored.end(), better);
  scored.resize(top);
  Recommendation r;
  for (const Scored& s : scored) {
    r.items.push_back(items_[s.item]);
    r.scores.push_back(s.score);
  }
  for (size_t i = 0; i < by_popularity_.size() && static_cast<int>(r.items.size()) < k; ++i) {
    const int32_t item = by_popularity_[i];
    if (item == exclude || std::any_of(scored.begin(), scored.end(),
                                       [&](const Scored& s) { return s.item == item; })) {
      continue;
    }
    r.items.push_back(items_[item]);
    r.scores.push_back(0);
  }
  r.items.resize(k);
  r.scores.resize(k, 0);
  return r;
}

Recommendation Model::Recommend(const std::vector<std::string_view>& session, int k) const {
  Sequence known;
  known.reserve(session.size());
  for (std::string_view id : session) {
    const int32_t i = Index(id);
    if (i >= 0) known.push_back(i);
  }
  ScoreList scored;
  Score(known, scored);
  return TopK(std::move(scored), known.empty() ? -1 : known.back(), k);
}

}  // namespace ferry::runtime::recommender
