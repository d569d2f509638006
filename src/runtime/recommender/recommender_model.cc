#include "runtime/recommender/recommender_model.h"

#include <algorithm>
#include <unordered_map>

#include "common/json.h"
#include "common/json_writer.h"

namespace ferry::runtime::recommender {
namespace {

constexpr char kFormat[] = "ferry-recommender";

absl::Status Corrupt(std::string_view what) {
  return absl::DataLossError("model.json: " + std::string(what));
}

absl::StatusOr<int> IntField(const JsonValue& doc, const char* name, int lo, int hi) {
  const JsonValue* v = doc.Find(name);
  if (v == nullptr || !v->is_integer() || v->as_int() < lo || v->as_int() > hi) {
    return Corrupt(std::string("\"") + name + "\" missing or out of range");
  }
  return static_cast<int>(v->as_int());
}

}  // namespace

Model Model::Train(const std::vector<std::vector<std::string>>& sessions, const Params& p) {
  Model m;
  m.params_ = p;
  std::unordered_map<std::string, int32_t> ids;
  std::vector<std::vector<int32_t>> seqs;
  for (const auto& s : sessions) {
    std::vector<int32_t> seq;
    for (const std::string& item : s) {
      auto [it, added] = ids.emplace(item, static_cast<int32_t>(m.items_.size()));
      if (added) {
        m.items_.push_back(item);
        m.popularity_.push_back(0);
      }
      ++m.popularity_[it->second];
      seq.push_back(it->second);
    }
    seqs.push_back(std::move(seq));
  }
  std::vector<std::unordered_map<int32_t, double>> rules(m.items_.size());
  for (const auto& seq : seqs) {
    for (size_t i = 0; i < seq.size(); ++i) {
      for (size_t j = i + 1; j < seq.size() && j - i <= static_cast<size_t>(p.window); ++j) {
        if (seq[j] != seq[i]) rules[seq[i]][seq[j]] += 1.0 / static_cast<double>(j - i);
      }
    }
  }
  m.neighbours_.resize(m.items_.size());
  for (size_t a = 0; a < rules.size(); ++a) {
    Neighbours& n = m.neighbours_[a];
    n.assign(rules[a].begin(), rules[a].end());
    std::sort(n.begin(), n.end(), [&](const auto& x, const auto& y) {
      return x.second != y.second ? x.second > y.second : m.items_[x.first] < m.items_[y.first];
    });
    if (n.size() > static_cast<size_t>(p.max_neighbours)) n.resize(p.max_neighbours);
  }
  m.BuildIndex();
  return m;
}

void Model::BuildIndex() {
  index_.clear();
  for (size_t i = 0; i < items_.size(); ++i) index_.emplace(items_[i], static_cast<int32_t>(i));
  by_popularity_.resize(items_.size());
  for (size_t i = 0; i < items_.size(); ++i) by_popularity_[i] = static_cast<int32_t>(i);
  std::sort(by_popularity_.begin(), by_popularity_.end(), [&](int32_t a, int32_t b) {
    return popularity_[a] != popularity_[b] ? popularity_[a] > popularity_[b]
                                            : items_[a] < items_[b];
  });
}

int Model::Index(std::string_view item) const {
  auto it = index_.find(item);
  return it == index_.end() ? -1 : it->second;
}

Recommendation Model::Fill(std::vector<std::pair<int32_t, double>> scored, int exclude,
                           int k) const {
  std::sort(scored.begin(), scored.end(), [&](const auto& x, const auto& y) {
    if (x.second != y.second) return x.second > y.second;
    if (popularity_[x.first] != popularity_[y.first]) {
      return popularity_[x.first] > popularity_[y.first];
    }
    return items_[x.first] < items_[y.first];
  });
  Recommendation r;
  std::vector<bool> listed(items_.size(), false);
  for (const auto& [item, score] : scored) {
    if (static_cast<int>(r.items.size()) == k) break;
    if (item == exclude) continue;
    r.items.push_back(items_[item]);
    r.scores.push_back(score);
    listed[item] = true;
  }
  for (size_t i = 0; i < by_popularity_.size() && static_cast<int>(r.items.size()) < k; ++i) {
    const int32_t item = by_popularity_[i];
    if (item == exclude || listed[item]) continue;
    r.items.push_back(items_[item]);
    r.scores.push_back(0);
  }
  r.items.resize(k);
  r.scores.resize(k, 0);
  return r;
}

Recommendation Model::Recommend(const std::vector<std::string_view>& session, int k) const {
  std::unordered_map<int32_t, double> score;
  const int m = static_cast<int>(session.size());
  for (int d = 1; d <= std::min(params_.window, m); ++d) {
    const int a = Index(session[m - d]);
    if (a < 0) continue;
    for (const auto& [b, w] : neighbours_[a]) score[b] += w / d;
  }
  const int exclude = m > 0 ? Index(session[m - 1]) : -1;
  return Fill({score.begin(), score.end()}, exclude, k);
}

Recommendation Model::Popular(const std::vector<std::string_view>& session, int k) const {
  return Fill({}, session.empty() ? -1 : Index(session.back()), k);
}

std::string Model::ToJson() const {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Field("format", kFormat).Field("version", int64_t{1});
  w.Field("window", int64_t{params_.window}).Field("k", int64_t{params_.k});
  w.Field("max_neighbours", int64_t{params_.max_neighbours});
  w.Key("items").BeginArray();
  for (const std::string& i : items_) w.String(i);
  w.EndArray().Key("popularity").BeginArray();
  for (int64_t c : popularity_) w.Int(c);
  w.EndArray().Key("neighbours").BeginArray();
  for (const Neighbours& n : neighbours_) {
    w.BeginArray();
    for (const auto& [b, weight] : n) w.BeginArray().Int(b).Double(weight).EndArray();
    w.EndArray();
  }
  w.EndArray().EndObject();
  return out;
}

absl::StatusOr<Model> Model::FromJson(std::string_view text) {
  auto doc = ParseJson(text);
  if (!doc.ok()) return Corrupt(StatusMessage(doc.status()));
  const JsonValue* format = doc->Find("format");
  if (format == nullptr || !format->is_string() || format->as_string() != kFormat) {
    return Corrupt("\"format\" is not \"ferry-recommender\"");
  }
  Model m;
  ASSIGN_OR_RETURN(int version, IntField(*doc, "version", 1, 1));
  (void)version;
  ASSIGN_OR_RETURN(m.params_.window, IntField(*doc, "window", 1, 1 << 20));
  ASSIGN_OR_RETURN(m.params_.k, IntField(*doc, "k", 1, 1 << 20));
  ASSIGN_OR_RETURN(m.params_.max_neighbours, IntField(*doc, "max_neighbours", 1, 1 << 30));
  const JsonValue* items = doc->Find("items");
  const JsonValue* pop = doc->Find("popularity");
  const JsonValue* nb = doc->Find("neighbours");
  if (items == nullptr || pop == nullptr || nb == nullptr || !items->is_array() ||
      !pop->is_array() || !nb->is_array() || pop->items().size() != items->items().size() ||
      nb->items().size() != items->items().size()) {
    return Corrupt("\"items\", \"popularity\" and \"neighbours\" must be arrays of one length");
  }
  const size_t n = items->items().size();
  for (size_t i = 0; i < n; ++i) {
    const JsonValue& id = items->items()[i];
    const JsonValue& count = pop->items()[i];
    if (!id.is_string() || !count.is_integer()) return Corrupt("bad item " + std::to_string(i));
    m.items_.push_back(id.as_string());
    m.popularity_.push_back(count.as_int());
    Neighbours list;
    for (const JsonValue& pair : nb->items()[i].items()) {
      if (!pair.is_array() || pair.items().size() != 2 || !pair.items()[0].is_integer() ||
          pair.items()[0].as_int() < 0 || static_cast<size_t>(pair.items()[0].as_int()) >= n ||
          !pair.items()[1].is_number()) {
        return Corrupt("bad neighbour of item " + std::to_string(i));
      }
      list.emplace_back(static_cast<int32_t>(pair.items()[0].as_int()),
                        pair.items()[1].as_double());
    }
    m.neighbours_.push_back(std::move(list));
  }
  m.BuildIndex();
  if (m.index_.size() != n) return Corrupt("duplicate item ids");
  return m;
}

std::vector<size_t> HeldOutSessions(size_t n, double test_fraction, uint64_t seed) {
  std::vector<size_t> out;
  for (size_t i = 0; i < n; ++i) {
    uint64_t h = (i + 1) * 0x9E3779B97F4A7C15ull ^ seed;  // splitmix64
    h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ull;
    h = (h ^ (h >> 27)) * 0x94D049BB133111EBull;
    h ^= h >> 31;
    if (static_cast<double>(h >> 11) / static_cast<double>(1ull << 53) < test_fraction) {
      out.push_back(i);
    }
  }
  return out;
}

RankingMetrics EvaluateNextItem(const Model& m, const std::vector<std::vector<std::string>>& s,
                                int k, bool popular_only) {
  RankingMetrics r;
  double hits = 0, rr = 0;
  for (const auto& session : s) {
    if (session.size() < 2) continue;
    std::vector<std::string_view> input(session.begin(), session.end() - 1);
    Recommendation rec = popular_only ? m.Popular(input, k) : m.Recommend(input, k);
    ++r.sessions;
    for (size_t i = 0; i < rec.items.size(); ++i) {
      if (rec.items[i] == session.back()) {
        hits += 1;
        rr += 1.0 / static_cast<double>(i + 1);
        break;
      }
    }
  }
  if (r.sessions > 0) {
    r.hit_rate = hits / static_cast<double>(r.sessions);
    r.mrr = rr / static_cast<double>(r.sessions);
  }
  return r;
}

}  // namespace ferry::runtime::recommender
