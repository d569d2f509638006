#include "runtime/sessions/session_generator.h"

#include <gtest/gtest.h>

#include <map>

namespace ferry::runtime::sessions {
namespace {

GeneratorParams Small() {
  GeneratorParams p;
  p.seed = 7;
  p.events = 20000;
  p.items = 100;
  return p;
}

size_t Events(const std::vector<GeneratedSession>& s) {
  size_t n = 0;
  for (const auto& x : s) n += x.items.size();
  return n;
}

TEST(SessionGenerator, SameSeedSameSessionsOtherSeedOthers) {
  GeneratorParams p = Small();
  auto a = SessionGenerator(p).Generate();
  auto b = SessionGenerator(p).Generate();
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].items, b[i].items);
  p.seed = 8;
  auto c = SessionGenerator(p).Generate();
  bool differs = c.size() != a.size();
  for (size_t i = 0; !differs && i < a.size(); ++i) differs = a[i].items != c[i].items;
  EXPECT_TRUE(differs);
}

TEST(SessionGenerator, ExactEventCountAndTimesInOrder) {
  GeneratorParams p = Small();
  p.events = 12345;
  auto s = SessionGenerator(p).Generate();
  EXPECT_EQ(Events(s), 12345u);
  uint64_t next = 0;
  for (const auto& x : s) {
    EXPECT_EQ(x.start_time, next);
    EXPECT_LE(x.items.size(), 50u);
    next += x.items.size();
  }
}

TEST(SessionGenerator, OracleProbabilitiesSumToOneAndMatchTheData) {
  GeneratorParams p = Small();
  p.events = 200000;
  SessionGenerator g(p);
  auto sessions = g.Generate();
  std::map<std::pair<int32_t, int32_t>, double> pairs;
  std::map<int32_t, double> from;
  for (const auto& s : sessions) {
    for (size_t i = 1; i < s.items.size(); ++i) {
      pairs[{s.items[i - 1], s.items[i]}] += 1;
      from[s.items[i - 1]] += 1;
    }
  }
  // The most frequent source item: its empirical next-item frequencies follow the oracle.
  int32_t a = 0;
  for (const auto& [item, n] : from) {
    if (n > from[a]) a = item;
  }
  double total = 0, max_error = 0;
  for (const auto& [b, prob] : g.NextItemProbabilities(0, a)) {
    total += prob;
    max_error = std::max(max_error, std::abs(pairs[{a, b}] / from[a] - prob));
  }
  EXPECT_NEAR(total, 1.0, 1e-9);
  EXPECT_GT(from[a], 2000);
  EXPECT_LT(max_error, 0.03) << "source item " << a << " seen " << from[a] << " times";
}

TEST(SessionGenerator, DriftReplacesTheCatalogue) {
  GeneratorParams p = Small();
  p.drift_at = 0.5;
  p.replaced = 0.3;
  SessionGenerator g(p);
  EXPECT_EQ(g.OnSale(0), (std::pair<int32_t, int32_t>{0, 100}));
  EXPECT_EQ(g.OnSale(1), (std::pair<int32_t, int32_t>{30, 130}));
  bool saw_new = false;
  for (const auto& s : g.Generate()) {
    const auto [lo, hi] = g.OnSale(s.era);
    EXPECT_EQ(s.era, s.start_time >= 10000 ? 1 : 0);
    for (int32_t item : s.items) {
      ASSERT_GE(item, lo);
      ASSERT_LT(item, hi);
      saw_new |= item >= 100;
    }
  }
  EXPECT_TRUE(saw_new);
}

TEST(SessionGenerator, PopularityIsSkewed) {
  GeneratorParams p = Small();
  p.noise = 1;  // every item drawn from the popularity distribution
  std::map<int32_t, int> count;
  for (const auto& s : SessionGenerator(p).Generate()) {
    for (int32_t item : s.items) ++count[item];
  }
  int top = 0;
  for (const auto& [item, n] : count) top = std::max(top, n);
  // Zipf(1) over 100 items: the top item holds 1 / H(100) ~ 19% of the draws.
  EXPECT_NEAR(top / 20000.0, 0.193, 0.02);
}

TEST(SessionGenerator, CheckParamsNamesTheBadParameter) {
  GeneratorParams p = Small();
  EXPECT_EQ(SessionGenerator::CheckParams(p), "");
  p.items = 1;
  EXPECT_EQ(SessionGenerator::CheckParams(p).rfind("items:", 0), 0u);
  p = Small();
  p.noise = 1.5;
  EXPECT_EQ(SessionGenerator::CheckParams(p).rfind("noise:", 0), 0u);
  p = Small();
  p.mean_length = 1;
  EXPECT_EQ(SessionGenerator::CheckParams(p).rfind("mean_length:", 0), 0u);
}

}  // namespace
}  // namespace ferry::runtime::sessions
