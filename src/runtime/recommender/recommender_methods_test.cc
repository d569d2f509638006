// Hand-computed cases for each method, the evaluation and the model file versions.
#include <gtest/gtest.h>

#include <cmath>

#include "common/fs.h"
#include "runtime/recommender/evaluation.h"
#include "runtime/recommender/item_knn.h"
#include "runtime/recommender/recommender_family.h"
#include "runtime/recommender/recommender_model.h"
#include "runtime/recommender/sequential_rules.h"
#include "runtime/recommender/session_knn.h"
#include "runtime/xgboost/testing/xgb_test_util.h"

namespace ferry::runtime::recommender {
namespace {

// The (item, score) pairs of `s`, sorted by item, for comparison.
std::vector<std::pair<int32_t, double>> Sorted(ScoreList s) {
  std::vector<std::pair<int32_t, double>> out;
  for (const Scored& x : s) out.emplace_back(x.item, x.score);
  std::sort(out.begin(), out.end());
  return out;
}

void ExpectScores(const ScoreList& got, std::vector<std::pair<int32_t, double>> want) {
  auto g = Sorted(got);
  ASSERT_EQ(g.size(), want.size());
  for (size_t i = 0; i < g.size(); ++i) {
    EXPECT_EQ(g[i].first, want[i].first) << i;
    // Rules and similarities are kept at float precision.
    EXPECT_NEAR(g[i].second, want[i].second, 1e-6) << "item " << g[i].first;
  }
}

TEST(SequentialRules, PairsWithinTheWindowWeighOneOverTheGap) {
  // 0 -> 1: 1 (gap 1); 0 -> 2: 1/2 (gap 2) + 1 (gap 1); 1 -> 2: 1. 0 -> 0 is skipped.
  const std::vector<Sequence> s = {{0, 1, 2}, {0, 2}, {0, 0}};
  NeighbourLists rules = TrainSequentialRules(s, 3, 2, 100);
  ExpectScores({rules.lists[0].begin(), rules.lists[0].end()}, {{1, 1.0}, {2, 1.5}});
  EXPECT_EQ(rules.lists[0][0].item, 2);  // strongest first
  ExpectScores({rules.lists[1].begin(), rules.lists[1].end()}, {{2, 1.0}});
  EXPECT_TRUE(rules.lists[2].empty());
  // Window 1: 0 -> 2 only from the second session; max_rules 1 keeps the stronger, ties by id.
  rules = TrainSequentialRules(s, 3, 1, 1);
  ExpectScores({rules.lists[0].begin(), rules.lists[0].end()}, {{1, 1.0}});
  // The query is the last item only.
  ScoreList out;
  rules = TrainSequentialRules(s, 3, 2, 100);
  rules.Score(std::vector<int32_t>{1, 0}, 1, out);
  ExpectScores(out, {{1, 1.0}, {2, 1.5}});
}

TEST(ItemKnn, CosineOverSessionSets) {
  // Sets: S0 = {a, b, c}, S1 = {a, b}, S2 = {c}; item 3 alone. A repeat counts once.
  const std::vector<Sequence> s = {{0, 1}, {0, 1, 1}, {0, 2}, {3}};
  NeighbourLists knn = TrainItemKnn(s, 4, 100);
  ExpectScores({knn.lists[0].begin(), knn.lists[0].end()},
               {{1, 2 / std::sqrt(6.0)}, {2, 1 / std::sqrt(3.0)}});
  ExpectScores({knn.lists[1].begin(), knn.lists[1].end()}, {{0, 2 / std::sqrt(6.0)}});
  EXPECT_TRUE(knn.lists[3].empty());
}

// Training sessions in time order: s0 = {0, 1, 2}, s1 = {1, 3}, s2 = {0, 4}, s3 = {5}. The
// query [0, 1] weighs item 0 1/2 (step 2) and item 1 1 (step 1); candidates, most recent
// first: s2 (shares 0), s1 (shares 1), s0 (shares both).
SessionKnn Neighbourhood() { return SessionKnn::Train({{0, 1, 2}, {1, 3}, {0, 4}, {5}}, 6); }

TEST(SessionKnn, CosineVotesDividedByTheStep) {
  SessionKnnParams p;
  p.similarity = Similarity::kCosine;
  ScoreList out;
  Neighbourhood().Score(std::vector<int32_t>{0, 1}, p, out);
  // s0: 1.5 / sqrt(2 * 3); s1: 1 / sqrt(2 * 2); s2: 0.5 / sqrt(2 * 2), step 2. Items 0 and 1
  // are the session's own: no score.
  ExpectScores(out, {{2, 1.5 / std::sqrt(6.0)}, {3, 0.5}, {4, 0.125}});
}

TEST(SessionKnn, VecSimilarityNeighboursAndSample) {
  SessionKnnParams p;
  p.similarity = Similarity::kVec;
  ScoreList out;
  const SessionKnn k = Neighbourhood();
  k.Score(std::vector<int32_t>{0, 1}, p, out);
  ExpectScores(out, {{2, 0.75}, {3, 0.5}, {4, 0.125}});
  p.neighbours = 1;  // only the most similar: s0
  k.Score(std::vector<int32_t>{0, 1}, p, out);
  ExpectScores(out, {{2, 0.75}});
  p.neighbours = 100;
  p.sample = 2;  // only the two most recent candidates: s2 and s1
  k.Score(std::vector<int32_t>{0, 1}, p, out);
  ExpectScores(out, {{3, 0.5}, {4, 0.125}});
  // A repeated item keeps its latest (heaviest) weight: [1, 0, 1] weighs 1 as 1 and 0 as 2/3.
  p.sample = 100;
  k.Score(std::vector<int32_t>{1, 0, 1}, p, out);
  ExpectScores(out, {{2, (1 + 2.0 / 3) / 2}, {3, 0.5}, {4, (2.0 / 3) / 2 / 2}});
}

TEST(Evaluation, PessimisticRanks) {
  const ScoreList s = {{1, 0.5}, {2, 0.5}, {3, 0.9}, {4, 0}};
  EXPECT_EQ(PessimisticRank(s, 3), 1u);
  EXPECT_EQ(PessimisticRank(s, 1), 3u);  // 2 ties with it and counts above
  EXPECT_EQ(PessimisticRank(s, 2), 3u);
  EXPECT_EQ(PessimisticRank(s, 4), 0u);  // scored 0: a miss
  EXPECT_EQ(PessimisticRank(s, 7), 0u);  // not scored
}

TEST(Evaluation, HitRatesMrrCoverage) {
  Scorer fixed = [](std::span<const int32_t>, ScoreList& out) { out = {{1, 1.0}, {2, 0.5}}; };
  // Predictions: [0] -> 1 (rank 1), [0 1] -> 2 (rank 2), [1] -> unknown (miss),
  // [3] -> 0 (not scored: miss).
  const std::vector<Sequence> sessions = {{0, 1, 2}, {1, -1}, {3, 0}};
  Metrics m = EvaluateNextItem(sessions, 5, fixed);
  EXPECT_EQ(m.events, 4u);
  EXPECT_DOUBLE_EQ(m.hit_rate[0], 0.25);
  EXPECT_DOUBLE_EQ(m.hit_rate[1], 0.5);
  EXPECT_DOUBLE_EQ(m.hit_rate[3], 0.5);
  EXPECT_DOUBLE_EQ(m.mrr, (1 + 0.5) / 4);
  EXPECT_DOUBLE_EQ(m.coverage, 2.0 / 5);
  EXPECT_EQ(EvaluateNextItem(sessions, 5, fixed, 2).events, 2u);
  // A tie with the target is ranked above it.
  Scorer tied = [](std::span<const int32_t>, ScoreList& out) { out = {{1, 0.5}, {2, 0.5}}; };
  m = EvaluateNextItem({{0, 1}}, 5, tied);
  EXPECT_DOUBLE_EQ(m.hit_rate[0], 0);
  EXPECT_DOUBLE_EQ(m.hit_rate[1], 1);
  EXPECT_DOUBLE_EQ(m.mrr, 0.5);
}

TEST(RecommenderModel, Version1FilesLoadAsMultiItemRules) {
  const char* v1 = R"({"format": "ferry-recommender", "version": 1, "window": 2, "k": 2,
    "max_neighbours": 100, "items": ["a", "b", "c"], "popularity": [2, 3, 1],
    "neighbours": [[[1, 1.0], [2, 0.5]], [[2, 1.0]], []]})";
  auto m = Model::FromJson(v1);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->params().method, Method::kSr);
  // c: rule(b -> c) / 1 + rule(a -> c) / 2 = 1.25; b is the last item; a pads (score 0).
  Recommendation r = m->Recommend({"a", "b"}, 2);
  EXPECT_EQ(r.items, (std::vector<std::string>{"c", "a"}));
  EXPECT_DOUBLE_EQ(r.scores[0], 1.25);
  EXPECT_DOUBLE_EQ(r.scores[1], 0);
}

TEST(RecommenderModel, EveryMethodRoundTripsThroughVersion2) {
  const std::vector<std::vector<std::string>> s = {
      {"a", "b", "c"}, {"a", "b"}, {"b", "c", "d"}, {"d", "a"}, {"c", "d"}};
  for (Method method : {Method::kSr, Method::kVsknn, Method::kIknn, Method::kPop}) {
    Params p;
    p.method = method;
    p.k = 3;
    Model m = Model::Train(s, p);
    const std::string json = m.ToJson();
    EXPECT_NE(json.find("\"version\":2"), std::string::npos);
    auto back = Model::FromJson(json);
    ASSERT_TRUE(back.ok()) << MethodName(method) << ": " << back.status();
    EXPECT_EQ(back->params().method, method);
    for (const std::vector<std::string_view>& q :
         std::vector<std::vector<std::string_view>>{{"a"}, {"b", "c"}, {"x", "d"}, {}}) {
      Recommendation r1 = m.Recommend(q, 3), r2 = back->Recommend(q, 3);
      EXPECT_EQ(r1.items, r2.items) << MethodName(method);
      EXPECT_EQ(r1.scores, r2.scores) << MethodName(method);
      if (!q.empty() && q.back() != "x") {
        EXPECT_EQ(std::count(r1.items.begin(), r1.items.end(), q.back()), 0);
      }
    }
  }
}

TEST(RecommenderModel, CorruptVersion2IsDataLoss) {
  Params p;
  Model m = Model::Train({{"a", "b"}}, p);
  std::string json = m.ToJson();
  auto replace = [&](const std::string& from, const std::string& to) {
    std::string s = json;
    s.replace(s.find(from), from.size(), to);
    return Model::FromJson(s).status();
  };
  EXPECT_EQ(replace("\"sr\"", "\"nope\"").code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(replace("\"1:1\"", "\"7:1\"").code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(replace("\"1:1\"", "\"1x\"").message().find("item 0"), std::string::npos);
  EXPECT_EQ(replace("\"version\":2", "\"version\":3").code(), absl::StatusCode::kDataLoss);
}

TEST(RecommenderFamily, MethodParam) {
  Frame f = testing::NumericFrame({"session", "item"});
  for (int i = 0; i < 12; ++i) {
    f.columns[0].numbers.push_back(i / 4);
    f.columns[1].numbers.push_back(i % 4);
  }
  testing::TempDir dir;
  auto trainer = NewRecommenderFamily()->NewTrainer();
  auto r = trainer->Train({&f, nullptr, "", {{"method", "gru4rec"}}, dir.path(), {}});
  EXPECT_NE(r.status().message().find("param \"method\": expected sr, vsknn, iknn or pop"),
            std::string::npos)
      << r.status();
  r = trainer->Train({&f, nullptr, "", {{"similarity", "jaccard"}}, dir.path(), {}});
  EXPECT_NE(r.status().message().find("param \"similarity\""), std::string::npos);
  r = trainer->Train({&f, &f, "", {{"method", "iknn"}, {"k", "2"}}, dir.path(), {}});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->params.at("method"), "iknn");
  EXPECT_EQ(r->metrics.count("hit_rate_at_20"), 1u);
  EXPECT_EQ(r->metrics.count("coverage_at_20"), 1u);
  auto loaded = NewRecommenderFamily()->Load({dir.path(), r->schema});
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  std::vector<Tensor> out;
  ASSERT_TRUE((*loaded)->Predict({MakeBytesTensor("session", {1}, {"1"})}, out).ok());
  EXPECT_EQ(out[0].strings.size(), 2u);
  EXPECT_NE(out[0].strings[0], "1");
}

}  // namespace
}  // namespace ferry::runtime::recommender
