#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "common/fs.h"
#include "runtime/recommender/recommender_family.h"
#include "runtime/recommender/recommender_model.h"
#include "runtime/split.h"
#include "runtime/xgboost/testing/xgb_test_util.h"

namespace ferry::runtime {
namespace {

using testing::TempDir;

constexpr int kItems = 200;

std::string ItemName(int i) { return "i" + std::to_string(i); }

// Sessions over kItems items. Structured: the next item is a fixed successor (one cycle
// through a random order of all items) with probability 0.9, else random. Unstructured: a
// random walk with no memory.
std::vector<std::vector<std::string>> Generate(size_t n, bool structured, unsigned seed,
                                               std::vector<int>* successor_out = nullptr) {
  std::mt19937 rng(seed);
  std::vector<int> order(kItems), successor(kItems);
  for (int i = 0; i < kItems; ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), rng);
  for (int i = 0; i < kItems; ++i) successor[order[i]] = order[(i + 1) % kItems];
  if (successor_out != nullptr) *successor_out = successor;
  std::uniform_int_distribution<int> item(0, kItems - 1), len(4, 10);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<std::vector<std::string>> sessions;
  for (size_t s = 0; s < n; ++s) {
    int cur = item(rng);
    std::vector<std::string> seq = {ItemName(cur)};
    for (int l = len(rng); static_cast<int>(seq.size()) < l;) {
      cur = structured && u(rng) < 0.9 ? successor[cur] : item(rng);
      seq.push_back(ItemName(cur));
    }
    sessions.push_back(seq);
  }
  return sessions;
}

// One row per interaction, rows shuffled (the trainer must order them by time).
Frame ToFrame(const std::vector<std::vector<std::string>>& sessions,
              const std::vector<size_t>& which, unsigned seed) {
  struct Row {
    double session, time;
    std::string item;
  };
  std::vector<Row> rows;
  for (size_t s : which) {
    for (size_t t = 0; t < sessions[s].size(); ++t) {
      rows.push_back({static_cast<double>(s), 1000.0 + t, sessions[s][t]});
    }
  }
  std::mt19937 rng(seed);
  std::shuffle(rows.begin(), rows.end(), rng);
  Frame f = testing::NumericFrame({"session", "item", "time"});
  f.columns[1].numeric = false;
  for (const Row& r : rows) {
    f.columns[0].numbers.push_back(r.session);
    f.columns[1].strings.push_back(r.item);
    f.columns[2].numbers.push_back(r.time);
  }
  return f;
}

struct Split {
  Frame train, test;
};

Split SplitFrames(const std::vector<std::vector<std::string>>& sessions) {
  std::vector<size_t> test = runtime::HeldOutGroups(sessions.size(), 0.2, 42), train;
  for (size_t i = 0, j = 0; i < sessions.size(); ++i) {
    if (j < test.size() && test[j] == i) {
      ++j;
    } else {
      train.push_back(i);
    }
  }
  return {ToFrame(sessions, train, 1), ToFrame(sessions, test, 2)};
}

absl::StatusOr<TrainResult> TrainOn(const Split& s, const std::string& dir,
                                    std::map<std::string, std::string> params = {}) {
  return NewRecommenderFamily()->NewTrainer()->Train(
      {&s.train, &s.test, "", std::move(params), dir, {}});
}

TEST(Recommender, LearnsSuccessorStructure) {
  std::vector<int> successor;
  Split s = SplitFrames(Generate(4000, true, 1, &successor));
  TempDir dir;
  auto r = TrainOn(s, dir.path());
  ASSERT_TRUE(r.ok()) << r.status();
  const auto& m = r->metrics;
  EXPECT_GT(m.at("events"), 3000);
  EXPECT_GT(m.at("hit_rate_at_10"), 0.85);
  EXPECT_GT(m.at("mrr_at_20"), 0.7);
  EXPECT_LT(m.at("popularity_hit_rate_at_20"), 0.2);
  EXPECT_GT(m.at("hit_rate_at_10") - m.at("popularity_hit_rate_at_20"), 0.6);
  EXPECT_GT(m.at("coverage_at_20"), 0.9);
  EXPECT_EQ(r->params.at("method"), "sr");
  EXPECT_EQ(r->params.at("window"), "3");
  EXPECT_EQ(r->params.at("k"), "10");

  auto p = NewRecommenderFamily()->Load({dir.path(), r->schema});
  ASSERT_TRUE(p.ok()) << p.status();
  const int a = 17, b = successor[a], c = successor[b];
  std::vector<Tensor> in = {
      MakeBytesTensor("session", {3}, {ItemName(a) + " " + ItemName(b), "unknown-item", ""})};
  ASSERT_TRUE(CheckInputs((*p)->schema(), in).ok());
  std::vector<Tensor> out;
  ASSERT_TRUE((*p)->Predict(in, out).ok());
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].shape, (std::vector<int64_t>{3, 10}));
  EXPECT_EQ(out[1].shape, (std::vector<int64_t>{3, 10}));
  EXPECT_EQ(out[0].strings[0], ItemName(c));
  EXPECT_GT(out[1].As<double>()[0], out[1].As<double>()[1]);
  for (int i = 0; i < 10; ++i) EXPECT_NE(out[0].strings[i], ItemName(b));  // the last item
  // Unknown and empty sessions get the popular items, score 0, the same list.
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(out[0].strings[10 + i], out[0].strings[20 + i]);
    EXPECT_FALSE(out[0].strings[10 + i].empty());
    EXPECT_EQ(out[1].As<double>()[10 + i], 0.0);
  }
}

TEST(Recommender, RandomWalkHasNothingToLearn) {
  Split s = SplitFrames(Generate(4000, false, 2));
  TempDir dir;
  auto r = TrainOn(s, dir.path());
  ASSERT_TRUE(r.ok()) << r.status();
  // k / n_items = 0.05 and 0.1.
  EXPECT_NEAR(r->metrics.at("hit_rate_at_10"), 0.05, 0.04);
  EXPECT_NEAR(r->metrics.at("popularity_hit_rate_at_20"), 0.1, 0.05);
}

TEST(Recommender, ModelJsonRoundTripsAndSmallCatalogPads) {
  std::vector<std::vector<std::string>> sessions = {{"a", "b", "c"}, {"a", "b"}, {"b", "c"}};
  recommender::Params params;
  params.method = recommender::Method::kSr;
  params.k = 5;
  recommender::Model m = recommender::Model::Train(sessions, params);
  auto back = recommender::Model::FromJson(m.ToJson());
  ASSERT_TRUE(back.ok()) << back.status();
  recommender::Recommendation r1 = m.Recommend({"a"}, 5), r2 = back->Recommend({"a"}, 5);
  EXPECT_EQ(r1.items, r2.items);
  EXPECT_EQ(r1.scores, r2.scores);
  // a -> b (1 + 1), a -> c (1/2): b first, then c; the rest is padding.
  EXPECT_EQ(r1.items, (std::vector<std::string>{"b", "c", "", "", ""}));
  EXPECT_DOUBLE_EQ(r1.scores[0], 2.0);
  EXPECT_DOUBLE_EQ(r1.scores[1], 0.5);
  EXPECT_EQ(recommender::Model::FromJson("{\"format\":\"x\"}").status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(recommender::Model::FromJson("[").status().code(), absl::StatusCode::kDataLoss);
}

TEST(Recommender, ParamsAndColumns) {
  Frame f = testing::NumericFrame({"user", "product"});
  for (int i = 0; i < 12; ++i) {
    f.columns[0].numbers.push_back(i / 4);
    f.columns[1].numbers.push_back(i % 4);
  }
  TempDir dir;
  auto trainer = NewRecommenderFamily()->NewTrainer();
  auto r = trainer->Train({&f, nullptr, "", {{"session_col", "user"}}, dir.path(), {}});
  EXPECT_NE(r.status().message().find("\"item\" not found"), std::string::npos) << r.status();
  r = trainer->Train({&f, nullptr, "", {{"k", "0"}}, dir.path(), {}});
  EXPECT_NE(r.status().message().find("param \"k\""), std::string::npos);
  r = trainer->Train({&f, nullptr, "", {{"nope", "1"}}, dir.path(), {}});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  r = trainer->Train({&f,
                      nullptr,
                      "",
                      {{"session_col", "user"}, {"item_col", "product"}, {"k", "2"}},
                      dir.path(),
                      {}});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->schema.outputs[0].shape, (std::vector<int64_t>{-1, 2}));
  auto p = NewRecommenderFamily()->Load({dir.path(), r->schema});
  ASSERT_TRUE(p.ok());
  std::vector<Tensor> out;
  ASSERT_TRUE((*p)->Predict({MakeBytesTensor("session", {1}, {"0 1"})}, out).ok());
  EXPECT_EQ(out[0].strings[0], "2");  // numeric ids are written without ".0"
}

}  // namespace
}  // namespace ferry::runtime
