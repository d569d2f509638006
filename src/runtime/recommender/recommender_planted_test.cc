// Issue 12's bar for the session recommender, on generated sessions with planted structure:
// SR and V-SKNN reach at least 2x POP's HR@20 and at least 90% of the planted oracle's.
#include <gtest/gtest.h>

#include <cstdio>

#include "runtime/recommender/testing/planted.h"

namespace ferry::runtime::recommender {
namespace {

using testing::CompareMethods;
using testing::MethodResult;

const MethodResult& Find(const std::vector<MethodResult>& r, const std::string& name) {
  for (const MethodResult& m : r) {
    if (m.name == name) return m;
  }
  ADD_FAILURE() << "no result for " << name;
  return r.front();
}

TEST(RecommenderPlanted, SrAndVsknnBeatPopAndApproachTheOracle) {
  sessions::GeneratorParams p;
  p.seed = 12;
  p.events = 200000;
  p.items = 2000;
  sessions::SessionGenerator g(p);
  const auto data = testing::MakePlanted(g, 0.1);
  const auto results = CompareMethods(g, data, 20000);
  std::printf("%s", testing::FormatResults(results).c_str());
  const double pop = Find(results, "pop").metrics.hit_rate[3];
  const double oracle = Find(results, "oracle").metrics.hit_rate[3];
  EXPECT_GT(oracle, 0.5);
  for (const char* method : {"sr", "vsknn"}) {
    const double hr = Find(results, method).metrics.hit_rate[3];
    std::printf("%s: HR@20 %.4f = %.2fx POP (%.4f), %.1f%% of the oracle (%.4f)\n", method, hr,
                hr / pop, pop, 100 * hr / oracle, oracle);
    EXPECT_GE(hr, 2 * pop) << method;
    EXPECT_GE(hr, 0.9 * oracle) << method;
  }
}

}  // namespace
}  // namespace ferry::runtime::recommender
