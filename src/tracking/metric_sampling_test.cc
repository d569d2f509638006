// Expected values were computed with MLflow 2.12.2's own _get_sampled_steps_from_steps
// (server/handlers.py), run on the same inputs.

#include "tracking/metric_sampling.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

namespace ferry::tracking {
namespace {

std::vector<int64_t> Range(int64_t n) {
  std::vector<int64_t> v(n);
  std::iota(v.begin(), v.end(), 0);
  return v;
}

TEST(SampleSteps, MatchesMlflowOnKnownLists) {
  static const struct {
    int64_t start, end, max_results;
    std::vector<int64_t> steps;
    size_t count;
    int64_t sum;
    std::vector<int64_t> head;
  } cases[] = {
      {0, 9, 3, Range(10), 4, 18, {0, 3, 6, 9}},
      {0, 9999, 320, Range(10000), 321, 1604879, {0, 31, 62, 93, 125, 156, 187, 218, 250}},
      // MLflow compares the absolute index with the count in range: only the last step stays.
      {50, 99, 10, Range(100), 1, 99, {99}},
      {0, 1000, 4, {0, 3, 7, 20, 100, 500, 999}, 5, 1522, {0, 3, 20, 500, 999}},
  };
  for (const auto& c : cases) {
    std::vector<int64_t> got = SampleSteps(c.start, c.end, c.max_results, c.steps);
    EXPECT_EQ(got.size(), c.count);
    EXPECT_EQ(std::accumulate(got.begin(), got.end(), int64_t{0}), c.sum);
    ASSERT_GE(got.size(), c.head.size());
    EXPECT_EQ(std::vector<int64_t>(got.begin(), got.begin() + c.head.size()), c.head);
  }
}

TEST(SampleSteps, FewStepsAreAllKept) {
  EXPECT_EQ(SampleSteps(2, 7, 10, {1, 2, 5, 7, 9}), (std::vector<int64_t>{2, 5, 7}));
  EXPECT_TRUE(SampleSteps(0, 0, 10, {}).empty());
  EXPECT_TRUE(SampleSteps(3, 4, 10, {1, 5}).empty());
}

TEST(SelectChartSteps, KeepsEachRunsEndsInRange) {
  // Run a: 0..99, run b: 10..20 and 150. Without a range: [0, 150].
  std::vector<int64_t> a = Range(100);
  std::vector<int64_t> b = {10, 11, 12, 150};
  std::vector<int64_t> got = SelectChartSteps({a, b, {}}, std::nullopt, std::nullopt, 5);
  // 103 distinct steps sampled to 5 strides + the last, plus a's 0, 99 and b's 10, 150.
  for (int64_t s : {0, 10, 99, 150}) {
    EXPECT_TRUE(std::binary_search(got.begin(), got.end(), s)) << s;
  }
  // With a range, ends outside it are left out.
  got = SelectChartSteps({a, b}, 5, 50, 100);
  EXPECT_EQ(got.front(), 5);
  EXPECT_EQ(got.back(), 50);
  EXPECT_EQ(got.size(), 46u);
}

TEST(SelectChartSteps, NegativeStepsFallOutsideTheDefaultRange) {
  EXPECT_EQ(SelectChartSteps({{-5, -1, 3}}, std::nullopt, std::nullopt, 10),
            (std::vector<int64_t>{3}));
  EXPECT_TRUE(SelectChartSteps({}, std::nullopt, std::nullopt, 10).empty());
}

}  // namespace
}  // namespace ferry::tracking
