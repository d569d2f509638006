#include "runtime/split.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

namespace ferry::runtime {
namespace {

TEST(SplitTest, SameSeedSameSplitEverywhere) {
  // Pinned: std::mt19937_64's sequence is fixed by the standard and the shuffle is ours, so
  // these indices (recorded from the first run) must not change across machines.
  EXPECT_EQ(ShuffledIndices(10, 42), (std::vector<size_t>{1, 7, 9, 0, 3, 8, 4, 2, 5, 6}));
  auto a = SplitRows(100, 0.2, 7);
  auto b = SplitRows(100, 0.2, 7);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->test, b->test);
  auto c = SplitRows(100, 0.2, 8);
  ASSERT_TRUE(c.ok());
  EXPECT_NE(a->test, c->test);
}

TEST(SplitTest, PartitionsRowsWithSklearnRounding) {
  auto split = SplitRows(569, 0.2, 42);
  ASSERT_TRUE(split.ok());
  EXPECT_EQ(split->test.size(), 114u);  // ceil(569 * 0.2), as train_test_split
  EXPECT_EQ(split->train.size(), 455u);
  std::set<size_t> all(split->train.begin(), split->train.end());
  all.insert(split->test.begin(), split->test.end());
  EXPECT_EQ(all.size(), 569u);
  EXPECT_EQ(*all.rbegin(), 568u);
  EXPECT_TRUE(std::is_sorted(split->test.begin(), split->test.end()));
}

TEST(SplitTest, ShuffleIsRoughlyUniform) {
  // Each of 4 positions of the first element over 4000 seeds: a biased shuffle (e.g. the
  // classic swap-with-any bug) skews these counts far outside 1000 +- 150.
  std::vector<int> first(4, 0);
  for (uint64_t seed = 0; seed < 4000; ++seed) ++first[ShuffledIndices(4, seed)[0]];
  for (int count : first) EXPECT_NEAR(count, 1000, 150);
}

TEST(SplitTest, RejectsBadFractions) {
  EXPECT_FALSE(SplitRows(10, 1.0).ok());
  EXPECT_FALSE(SplitRows(10, -0.1).ok());
  EXPECT_FALSE(SplitRows(1, 0.5).ok());  // no training row left
  auto none = SplitRows(10, 0.0);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->test.empty());
  EXPECT_EQ(none->train.size(), 10u);
}

TEST(SplitTest, SplitFrameKeepsRowsTogether) {
  Frame frame;
  Column x{"x", true, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {}};
  Column s{"s", false, {}, {"a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9"}};
  frame.columns = {x, s};
  auto split = SplitFrame(frame, 0.3, 1);
  ASSERT_TRUE(split.ok());
  ASSERT_EQ(split->test.rows(), 3u);
  ASSERT_EQ(split->train.rows(), 7u);
  for (const Frame* part : {&split->train, &split->test}) {
    for (size_t r = 0; r < part->rows(); ++r) {
      EXPECT_EQ("a" + std::to_string(static_cast<int>(part->columns[0].numbers[r])),
                part->columns[1].strings[r]);
    }
  }
}

TEST(SplitTest, LatestGroupsHoldOutTheLatestStarts) {
  const double nan = std::nan("");
  // Starts 5, 1, nan, 3, 3: latest first nan (2), then 5 (0), then the tie 3 at index 4, 3.
  const std::vector<double> start = {5, 1, nan, 3, 3};
  EXPECT_EQ(LatestGroups(start, 0.2), (std::vector<size_t>{2}));
  EXPECT_EQ(LatestGroups(start, 0.4), (std::vector<size_t>{0, 2}));
  EXPECT_EQ(LatestGroups(start, 0.5), (std::vector<size_t>{0, 2, 4}));      // ceil(2.5)
  EXPECT_EQ(LatestGroups(start, 0.99), (std::vector<size_t>{0, 2, 3, 4}));  // one left to train
  EXPECT_TRUE(LatestGroups(start, 0).empty());
  EXPECT_TRUE(LatestGroups({7}, 0.5).empty());
}

}  // namespace
}  // namespace ferry::runtime
