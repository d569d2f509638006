#include "monitoring/profile/frequent_items.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>

#include "monitoring/profile/byte_io.h"

namespace ferry::monitoring {
namespace {

TEST(FrequentItemsTest, ExactWhileFewItems) {
  FrequentItems fi;
  for (int i = 0; i < 500; ++i) {
    for (int r = 0; r <= i % 5; ++r) fi.Update("item" + std::to_string(i));
  }
  EXPECT_EQ(fi.maximum_error(), 0u);
  EXPECT_EQ(fi.num_active(), 500u);
  const auto top = fi.TopItems(3);
  ASSERT_EQ(top.size(), 3u);
  EXPECT_EQ(top[0].estimate, 5u);
  EXPECT_EQ(top[0].lower, top[0].upper);
  EXPECT_EQ(top[0].item, "item104");  // ties by item, ascending
}

// A skewed stream with far more distinct items than counters: every reported item's true
// count lies within its bounds, and the heavy hitters are all reported.
TEST(FrequentItemsTest, BoundsHoldOnSkewedStream) {
  std::mt19937_64 gen(11);
  std::map<std::string, uint64_t> truth;
  FrequentItems fi;
  for (int i = 0; i < 200000; ++i) {
    const uint64_t r = gen();
    const std::string item =
        (r % 10 < 5) ? "hot" + std::to_string(r % 7) : "cold" + std::to_string(r % 100000);
    ++truth[item];
    fi.Update(item);
  }
  EXPECT_GT(fi.maximum_error(), 0u);
  EXPECT_EQ(fi.stream_weight(), 200000u);
  EXPECT_LE(fi.num_active(), 768u);
  for (const FrequentItem& f : fi.AllItems()) {
    EXPECT_LE(f.lower, truth[f.item]) << f.item;
    EXPECT_GE(f.upper, truth[f.item]) << f.item;
  }
  const auto top = fi.TopItems(10);
  ASSERT_GE(top.size(), 7u);
  for (size_t i = 0; i < 7; ++i) EXPECT_EQ(top[i].item.substr(0, 3), "hot");
  for (const FrequentItem& f : top) EXPECT_GT(f.lower, fi.maximum_error());  // no false positives
}

TEST(FrequentItemsTest, MergeKeepsBounds) {
  FrequentItems a, b;
  std::map<std::string, uint64_t> truth;
  for (int i = 0; i < 50000; ++i) {
    const std::string item = i % 3 == 0 ? "x" : "u" + std::to_string(i);
    ++truth[item];
    (i % 2 ? a : b).Update(item);
  }
  a.Merge(b);
  EXPECT_EQ(a.stream_weight(), 50000u);
  for (const FrequentItem& f : a.AllItems()) {
    EXPECT_LE(f.lower, truth[f.item]);
    EXPECT_GE(f.upper, truth[f.item]);
  }
  EXPECT_EQ(a.TopItems(1).at(0).item, "x");
}

TEST(FrequentItemsTest, TruncatesOnUtf8Boundary) {
  const std::string ascii(200, 'a');
  EXPECT_EQ(FrequentItems::Truncate(ascii).size(), 128u);
  std::string utf8(127, 'a');
  utf8 += "\xC3\xA9tail";  // é straddles byte 128
  EXPECT_EQ(FrequentItems::Truncate(utf8), std::string(127, 'a'));
  FrequentItems fi;
  fi.Update(ascii);
  fi.Update(ascii + "different tail");
  ASSERT_EQ(fi.num_active(), 1u);
  EXPECT_EQ(fi.TopItems(1)[0].estimate, 2u);
}

TEST(FrequentItemsTest, RoundTripAndDecodeErrors) {
  FrequentItems fi;
  fi.Update("b");
  fi.Update("a");
  fi.Update("a");
  ByteWriter w;
  fi.EncodeTo(w);
  const std::string bytes = w.Take();
  ByteReader r(bytes);
  auto back = FrequentItems::DecodeFrom(r);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->TopItems(2)[0].item, "a");
  EXPECT_EQ(back->TopItems(2)[0].estimate, 2u);

  ByteWriter bad;
  bad.U8(10);
  bad.U64(3);
  bad.U64(0);
  bad.U32(2);
  bad.Bytes("b");
  bad.U64(1);
  bad.Bytes("a");  // not sorted
  bad.U64(2);
  const std::string bad_bytes = bad.Take();
  ByteReader rb(bad_bytes);
  auto err = FrequentItems::DecodeFrom(rb);
  ASSERT_FALSE(err.ok());
  EXPECT_NE(err.status().message().find("offset 34: items.item: items not sorted"),
            std::string::npos)
      << err.status();

  ByteWriter heavy;
  heavy.U8(10);
  heavy.U64(1);
  heavy.U64(0);
  heavy.U32(1);
  heavy.Bytes("a");
  heavy.U64(2);  // more than the stream weight
  const std::string heavy_bytes = heavy.Take();
  ByteReader rh(heavy_bytes);
  err = FrequentItems::DecodeFrom(rh);
  ASSERT_FALSE(err.ok());
  EXPECT_NE(err.status().message().find("items.counter"), std::string::npos) << err.status();
}

}  // namespace
}  // namespace ferry::monitoring
