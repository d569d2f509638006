#include "runtime/recommender/testing/planted.h"

#include <chrono>
#include <cstdio>

namespace ferry::runtime::recommender::testing {

PlantedData MakePlanted(const sessions::SessionGenerator& g, double test_fraction) {
  PlantedData d;
  const auto all = g.Generate();
  const auto n_test = static_cast<size_t>(test_fraction * static_cast<double>(all.size()));
  for (size_t i = 0; i < all.size(); ++i) {
    std::vector<std::string> s;
    for (int32_t item : all[i].items) s.push_back(sessions::SessionGenerator::ItemName(item));
    (i + n_test < all.size() ? d.train : d.test).push_back(std::move(s));
  }
  d.test_era = all.empty() ? 0 : all.back().era;
  return d;
}

std::vector<Sequence> ToIndices(const Model& m, const std::vector<std::vector<std::string>>& test) {
  std::vector<Sequence> out;
  for (const auto& s : test) {
    Sequence seq;
    for (const std::string& item : s) seq.push_back(m.Index(item));
    out.push_back(std::move(seq));
  }
  return out;
}

Scorer OracleScorer(const sessions::SessionGenerator& g, const Model& m, int era) {
  // Generator id -> model index, and back.
  std::vector<int32_t> to_model(g.num_items(), -1), to_generator(m.num_items(), -1);
  for (int32_t i = 0; i < g.num_items(); ++i) {
    to_model[i] = m.Index(sessions::SessionGenerator::ItemName(i));
    if (to_model[i] >= 0) to_generator[to_model[i]] = i;
  }
  return [&g, era, to_model, to_generator](std::span<const int32_t> session, ScoreList& out) {
    out.clear();
    if (session.empty() || to_generator[session.back()] < 0) return;
    for (const auto& [b, p] : g.NextItemProbabilities(era, to_generator[session.back()])) {
      if (to_model[b] >= 0) out.push_back({to_model[b], p});
    }
  };
}

std::vector<MethodResult> CompareMethods(const sessions::SessionGenerator& g,
                                         const PlantedData& data, size_t max_events,
                                         const Params& base) {
  std::vector<MethodResult> results;
  const Model* last = nullptr;
  Model model;
  for (Method method : {Method::kSr, Method::kVsknn, Method::kIknn, Method::kPop}) {
    Params p = base;
    p.method = method;
    const auto start = std::chrono::steady_clock::now();
    model = Model::Train(data.train, p);
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    Scorer scorer = [&](std::span<const int32_t> s, ScoreList& out) { model.Score(s, out); };
    results.push_back(
        {std::string(MethodName(method)),
         EvaluateNextItem(ToIndices(model, data.test), model.num_items(), scorer, max_events),
         took.count()});
    last = &model;
  }
  results.push_back({"oracle",
                     EvaluateNextItem(ToIndices(*last, data.test), last->num_items(),
                                      OracleScorer(g, *last, data.test_era), max_events),
                     0});
  return results;
}

std::string FormatResults(const std::vector<MethodResult>& results) {
  std::string out = "method   HR@1   HR@5   HR@10  HR@20  MRR@20 cov@20 train_s events\n";
  char line[160];
  for (const MethodResult& r : results) {
    const Metrics& m = r.metrics;
    std::snprintf(line, sizeof line, "%-7s %6.4f %6.4f %6.4f %6.4f %6.4f %6.4f %7.3f %zu\n",
                  r.name.c_str(), m.hit_rate[0], m.hit_rate[1], m.hit_rate[2], m.hit_rate[3], m.mrr,
                  m.coverage, r.train_seconds, m.events);
    out += line;
  }
  return out;
}

}  // namespace ferry::runtime::recommender::testing
