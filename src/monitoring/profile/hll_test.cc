#include "monitoring/profile/hll.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "monitoring/profile/byte_io.h"
#include "monitoring/profile/hash.h"

namespace ferry::monitoring {
namespace {

HllSketch Distinct(uint64_t n, uint64_t start = 0) {
  HllSketch s;
  for (uint64_t i = 0; i < n; ++i) s.UpdateHash(HashDouble(static_cast<double>(start + i)));
  return s;
}

TEST(HllTest, EstimatesWithinThreeStandardErrors) {
  for (uint64_t n : {1000ull, 10000ull, 100000ull, 1000000ull}) {
    const HllSketch s = Distinct(n);
    const double rel = std::fabs(s.Estimate() - n) / static_cast<double>(n);
    EXPECT_LE(rel, 3 * s.RelativeStandardError()) << n << " -> " << s.Estimate();
    EXPECT_LE(s.LowerBound(3), n);
    EXPECT_GE(s.UpperBound(3), n);
  }
}

TEST(HllTest, SmallCountsNearlyExact) {
  EXPECT_EQ(HllSketch().Estimate(), 0.0);
  EXPECT_TRUE(HllSketch().empty());
  EXPECT_NEAR(Distinct(1).Estimate(), 1.0, 0.01);
  EXPECT_NEAR(Distinct(10).Estimate(), 10.0, 0.1);
  EXPECT_NEAR(Distinct(100).Estimate(), 100.0, 2.0);
}

TEST(HllTest, StringsHashBytes) {
  HllSketch s;
  for (int i = 0; i < 50000; ++i) s.UpdateHash(HashBytes("user-" + std::to_string(i)));
  for (int i = 0; i < 50000; ++i) s.UpdateHash(HashBytes("user-" + std::to_string(i)));
  EXPECT_LE(std::fabs(s.Estimate() - 50000) / 50000, 3 * s.RelativeStandardError());
}

TEST(HllTest, LongStringsDifferingInOneByte) {
  for (size_t len : {9u, 16u, 17u, 100u}) {
    HllSketch s;
    for (int i = 0; i < 20000; ++i) {
      std::string item(len, 'x');
      const std::string n = std::to_string(i);
      item.replace(len / 2 - n.size() / 2, n.size(), n);  // the number sits mid-string
      s.UpdateHash(HashBytes(item));
    }
    EXPECT_LE(std::fabs(s.Estimate() - 20000) / 20000, 3 * s.RelativeStandardError()) << len;
  }
  EXPECT_NE(HashBytes("abcdefghi"), HashBytes("abcdefghj"));
  EXPECT_NE(HashBytes("abcdefgh"), HashBytes(std::string("abcdefgh\0", 9)));
}

TEST(HllTest, NegativeZeroIsZeroAndDuplicatesDoNotCount) {
  EXPECT_EQ(HashDouble(-0.0), HashDouble(0.0));
  EXPECT_NE(HashDouble(1.0), HashDouble(-1.0));
  HllSketch s;
  for (int i = 0; i < 1000; ++i) s.UpdateHash(HashDouble(i % 2 ? 0.0 : -0.0));
  EXPECT_NEAR(s.Estimate(), 1.0, 0.01);
}

TEST(HllTest, MergeEqualsUnion) {
  HllSketch a = Distinct(60000, 0);
  const HllSketch b = Distinct(60000, 30000);
  const HllSketch both = Distinct(90000, 0);
  ASSERT_TRUE(a.Merge(b).ok());
  EXPECT_EQ(a.Estimate(), both.Estimate());
  HllSketch other(10);
  EXPECT_EQ(a.Merge(other).code(), absl::StatusCode::kInvalidArgument);
}

TEST(HllTest, SparseAndDenseRoundTrip) {
  for (uint64_t n : {0ull, 5ull, 100000ull}) {
    const HllSketch s = Distinct(n);
    ByteWriter w;
    s.EncodeTo(w);
    const std::string bytes = w.Take();
    if (n == 5) {
      EXPECT_LT(bytes.size(), 30u);
    }
    ByteReader r(bytes);
    auto back = HllSketch::DecodeFrom(r);
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(back->Estimate(), s.Estimate());
  }
}

TEST(HllTest, DecodeRejectsBadRegisters) {
  ByteWriter w;
  w.U8(12);
  w.U8(0);
  w.U32(2);
  w.U16(7);
  w.U8(3);
  w.U16(7);  // not increasing
  w.U8(3);
  std::string bytes = w.Take();
  ByteReader r(bytes);
  auto s = HllSketch::DecodeFrom(r);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("offset 9: hll.index"), std::string::npos) << s.status();
  ByteWriter d;
  d.U8(4);
  d.U8(1);
  d.Raw(std::string(15, '\1') + std::string(1, '\x62'));
  bytes = d.Take();
  ByteReader r2(bytes);
  s = HllSketch::DecodeFrom(r2);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("offset 17: hll.register: value over 61"), std::string::npos)
      << s.status();
}

}  // namespace
}  // namespace ferry::monitoring
