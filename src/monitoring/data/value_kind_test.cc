#include "monitoring/data/value_kind.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "common/strings.h"
#include "monitoring/data/describe.h"

namespace ferry::monitoring {
namespace {

ValueKind KindOf(std::string_view cell) { return ClassifyCell(cell).kind; }

TEST(ValueKindTest, ClassifiesCells) {
  EXPECT_EQ(KindOf(""), ValueKind::kMissing);
  EXPECT_EQ(KindOf("true"), ValueKind::kBool);
  EXPECT_EQ(KindOf("FALSE"), ValueKind::kBool);
  EXPECT_EQ(KindOf("-12"), ValueKind::kInt);
  EXPECT_EQ(KindOf("+7"), ValueKind::kInt);
  EXPECT_EQ(ClassifyCell("-12").int_value, -12);
  EXPECT_EQ(KindOf("3.0"), ValueKind::kFloat);
  EXPECT_EQ(KindOf("1e3"), ValueKind::kFloat);
  // Beyond int64: a float, not an error.
  EXPECT_EQ(KindOf("99999999999999999999"), ValueKind::kFloat);
  EXPECT_EQ(KindOf("nan"), ValueKind::kNan);
  EXPECT_EQ(KindOf("NaN"), ValueKind::kNan);
  EXPECT_EQ(KindOf("-inf"), ValueKind::kInf);
  EXPECT_EQ(KindOf("Infinity"), ValueKind::kInf);
  EXPECT_EQ(KindOf("1e999"), ValueKind::kInf);
  EXPECT_LT(ClassifyCell("-inf").number, 0);
  EXPECT_EQ(KindOf(" 1"), ValueKind::kString);
  EXPECT_EQ(KindOf("1 "), ValueKind::kString);
  EXPECT_EQ(KindOf("+-5"), ValueKind::kString);
  EXPECT_EQ(KindOf("abc"), ValueKind::kString);
  EXPECT_EQ(ClassifyCell("abc").text, "abc");
}

TEST(ValueKindTest, HugeFieldsAreClassified) {
  EXPECT_EQ(KindOf(std::string(1 << 20, '7')), ValueKind::kInf);
  EXPECT_EQ(KindOf(std::string(1 << 20, 'x')), ValueKind::kString);
}

TEST(DescribeTest, CountsSharesAndValues) {
  EXPECT_EQ(FormatCount(0), "0");
  EXPECT_EQ(FormatCount(999), "999");
  EXPECT_EQ(FormatCount(1000), "1,000");
  EXPECT_EQ(FormatCount(1234567), "1,234,567");
  EXPECT_EQ(FormatShare(3, 1000), "0.3%");
  EXPECT_EQ(FormatShare(1, 4), "25%");
  EXPECT_EQ(FormatShare(1, 3), "33.3%");
  EXPECT_EQ(FormatShare(0, 3), "0%");
  EXPECT_EQ(FormatShare(5, 5), "100%");
  EXPECT_EQ(FormatShare(99999, 100000), ">99.9%");
  EXPECT_EQ(FormatShare(1, 1000000000), "<0.001%");
  EXPECT_EQ(FormatShare(1, 0), "0%");
  EXPECT_EQ(FormatShortest(99), "99");
  EXPECT_EQ(FormatShortest(2.5), "2.5");
  EXPECT_EQ(FormatPercent(0.010000000000000009), "1%");
  EXPECT_EQ(FormatPercent(0.855), "85.5%");
  EXPECT_EQ(FormatPercent(1), "100%");
  EXPECT_EQ(PartOf(3, 1000, "values"), "3 of 1,000 values (0.3%)");
  EXPECT_EQ(QuoteValue("ab"), "'ab'");
  EXPECT_EQ(QuoteValue(std::string(50, 'x')), "'" + std::string(40, 'x') + "...'");
  // Never cuts inside a UTF-8 sequence.
  std::string accents;
  for (int i = 0; i < 30; ++i) accents += "\xC3\xA9";
  EXPECT_EQ(QuoteValue(accents), "'" + accents.substr(0, 40) + "...'");
  EXPECT_EQ(QuoteValue("x" + accents), "'x" + accents.substr(0, 38) + "...'");
  ValueCounts top = TopValues({{"b", 2}, {"a", 2}, {"c", 9}, {"d", 1}}, 3);
  EXPECT_EQ(ListValues(top), "'c' (9), 'a' (2), 'b' (2)");
}

}  // namespace
}  // namespace ferry::monitoring
