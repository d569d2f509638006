#include "monitoring/drift/column_data.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "common/strings.h"
#include "monitoring/drift/testing/frames.h"

namespace ferry::monitoring {
namespace {

using testing::NumColumn;
using testing::TextColumn;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(CleanColumnTest, DropsNaNAndInfinities) {
  CleanValues v = CleanColumn(NumColumn("x", {1, kNaN, kInf, -kInf, 2}));
  EXPECT_EQ(v.numbers, (std::vector<double>{1, 2}));
  EXPECT_EQ(v.dropped, 3u);
}

TEST(CleanColumnTest, DropsEmptyStrings) {
  CleanValues v = CleanColumn(TextColumn("x", {"a", "", "b"}));
  EXPECT_FALSE(v.numeric);
  EXPECT_EQ(v.strings, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(v.dropped, 1u);
}

TEST(InferColumnTypeTest, FloatsAreNumerical) {
  EXPECT_EQ(InferColumnType(CleanColumn(NumColumn("x", {0.5, 1, 1, 2}))), DriftColumnType::kNum);
}

TEST(InferColumnTypeTest, WholeNumbersWithAtMostTenValuesAreCategorical) {
  std::vector<double> ten, eleven;
  for (int i = 0; i < 10; ++i) ten.push_back(i);
  eleven = ten;
  eleven.push_back(10);
  EXPECT_EQ(InferColumnType(CleanColumn(NumColumn("x", ten))), DriftColumnType::kCat);
  EXPECT_EQ(InferColumnType(CleanColumn(NumColumn("x", eleven))), DriftColumnType::kNum);
}

TEST(InferColumnTypeTest, StringsAreTextAboveHalfDistinct) {
  // 2 distinct of 4: categorical; 3 distinct of 4: text.
  EXPECT_EQ(InferColumnType(CleanColumn(TextColumn("x", {"a", "b", "a", "b"}))),
            DriftColumnType::kCat);
  EXPECT_EQ(InferColumnType(CleanColumn(TextColumn("x", {"a", "b", "c", "a"}))),
            DriftColumnType::kText);
  // Missing values do not count.
  EXPECT_EQ(InferColumnType(CleanColumn(TextColumn("x", {"a", "b", "a", "b", "", "", ""}))),
            DriftColumnType::kCat);
}

TEST(DistinctCountTest, UnionOfBothSides) {
  CleanValues ref = CleanColumn(NumColumn("x", {1, 2, 2}));
  CleanValues cur = CleanColumn(NumColumn("x", {2, 3, kNaN}));
  EXPECT_EQ(DistinctCount(ref, cur), 3u);
  CleanValues text = CleanColumn(TextColumn("x", {"1", "z"}));
  EXPECT_EQ(DistinctCount(text, cur), 4u);  // "1", "z", "2", "3"
}

TEST(CountCategoriesTest, NumericLabelsInNumericOrder) {
  LabelledCounts c =
      CountCategories(CleanColumn(NumColumn("x", {10, 2, 2})), CleanColumn(NumColumn("x", {2, 3})));
  EXPECT_EQ(c.labels, (std::vector<std::string>{"2", "3", "10"}));
  EXPECT_EQ(c.reference, (std::vector<double>{2, 0, 1}));
  EXPECT_EQ(c.current, (std::vector<double>{1, 1, 0}));
}

TEST(CountCategoriesTest, MixedKindsCompareAsText) {
  LabelledCounts c = CountCategories(CleanColumn(TextColumn("x", {"a", "1"})),
                                     CleanColumn(NumColumn("x", {1, 1})));
  EXPECT_EQ(c.labels, (std::vector<std::string>{"1", "a"}));
  EXPECT_EQ(c.reference, (std::vector<double>{1, 1}));
  EXPECT_EQ(c.current, (std::vector<double>{2, 0}));
}

}  // namespace
}  // namespace ferry::monitoring
