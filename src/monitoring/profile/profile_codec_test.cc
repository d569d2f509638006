#include "monitoring/profile/profile_codec.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>

namespace ferry::monitoring {
namespace {

DatasetProfile Small() {
  Frame f;
  f.columns.push_back(Column{"x", true, {1.5, 2.5, 3.5}, {}});
  f.columns.push_back(Column{"s", false, {}, {"a", "", "b"}});
  return DatasetProfile::FromFrame(f);
}

DatasetProfile Large() {
  std::mt19937_64 gen(3);
  std::normal_distribution<double> d(0, 1);
  Frame f;
  f.columns.push_back(Column{"x", true, {}, {}});
  f.columns.push_back(Column{"s", false, {}, {}});
  for (int i = 0; i < 100000; ++i) {
    f.columns[0].numbers.push_back(d(gen));
    f.columns[1].strings.push_back("v" + std::to_string(gen() % 5000));
  }
  return DatasetProfile::FromFrame(f);
}

std::string DecodeError(const std::string& bytes) {
  auto p = DecodeProfile(bytes);
  if (p.ok()) return "ok";
  EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(p.status().message());
}

void PutU64(std::string& s, size_t at, uint64_t v) { std::memcpy(&s[at], &v, 8); }
void PutF64(std::string& s, size_t at, double v) { std::memcpy(&s[at], &v, 8); }

TEST(ProfileCodecTest, RoundTripIsExact) {
  for (const DatasetProfile& p : {Small(), Large(), DatasetProfile()}) {
    const std::string bytes = EncodeProfile(p);
    auto back = DecodeProfile(bytes);
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(EncodeProfile(*back), bytes);
    EXPECT_EQ(back->rows(), p.rows());
    ASSERT_EQ(back->columns().size(), p.columns().size());
    for (size_t i = 0; i < p.columns().size(); ++i) {
      const ColumnProfile& a = p.columns()[i].second;
      const ColumnProfile& b = back->columns()[i].second;
      EXPECT_EQ(back->columns()[i].first, p.columns()[i].first);
      EXPECT_EQ(a.moments().mean, b.moments().mean);
      if (!a.kll().empty()) {
        EXPECT_EQ(a.kll().Quantile(0.9), b.kll().Quantile(0.9));
      }
      EXPECT_EQ(a.hll().Estimate(), b.hll().Estimate());
    }
  }
  EXPECT_LT(EncodeProfile(Large()).size(), 50000u);  // compact: ~3k KLL items, dense HLL
}

TEST(ProfileCodecTest, EveryTruncationIsAnError) {
  const std::string bytes = EncodeProfile(Small());
  for (size_t len = 0; len < bytes.size(); ++len) {
    const std::string err = DecodeError(bytes.substr(0, len));
    EXPECT_NE(err.find("truncated"), std::string::npos) << len << ": " << err;
  }
  EXPECT_EQ(DecodeError(bytes + "x"),
            "profile: offset " + std::to_string(bytes.size()) + ": end: 1 trailing bytes");
}

// Layout of Small(): header 30 bytes; column "x" name at 30, type at 35, count at 36,
// missing 44, integral 52, fractional 60, string 68, moments.n 76, mean 84, m2 92, min 100,
// max 108, nan 116, +inf 124, -inf 132, kll at 140 (n at 153, min 161, levels 177, size 178,
// items 182..205), hll at 206.
TEST(ProfileCodecTest, EveryInconsistencyNamesOffsetAndField) {
  const std::string good = EncodeProfile(Small());
  auto with = [&](auto edit) {
    std::string b = good;
    edit(b);
    return DecodeError(b);
  };
  EXPECT_EQ(with([](std::string& b) { b[0] = 'X'; }),
            "profile: offset 0: magic: not a Ferry profile");
  EXPECT_EQ(with([](std::string& b) { b[4] = 9; }),
            "profile: offset 4: version: unsupported version 9 (this build reads 1)");
  EXPECT_NE(with([](std::string& b) { b[26] = 100; }).find("offset 30: columns: truncated"),
            std::string::npos);
  EXPECT_EQ(with([](std::string& b) { b[8] = 40; }),
            "profile: offset 6: options: kll_k, hll_lg_k or items_lg_max_k out of range");
  EXPECT_EQ(with([](std::string& b) { b[35] = 7; }),
            "profile: offset 35: column.type: unknown type 7");
  EXPECT_EQ(with([](std::string& b) { PutU64(b, 44, 1); }),
            "profile: offset 35: column counts: missing + type counts != count");
  EXPECT_EQ(with([](std::string& b) { PutF64(b, 92, -1.0); }),
            "profile: offset 84: moments: mean, m2, min or max not finite, m2 < 0 or min > max");
  EXPECT_EQ(with([](std::string& b) { PutU64(b, 153, 4); }),
            "profile: offset 182: kll.level_size: level weights sum to 3, n is 4");
  EXPECT_EQ(with([](std::string& b) { PutF64(b, 190, 9.0); }),
            "profile: offset 190: kll.item: not finite or outside [min, max]");
  EXPECT_EQ(with([](std::string& b) { PutF64(b, 161, 2.0); }),
            "profile: offset 182: kll.item: not finite or outside [min, max]");
  EXPECT_EQ(with([](std::string& b) { PutF64(b, 100, 1.0); }),
            "profile: offset 35: kll: n, min or max disagree with the moments");
  EXPECT_EQ(with([](std::string& b) { b[177] = 0; }),
            "profile: offset 177: kll.levels: 0 outside [1, 61]");
  EXPECT_NE(with([](std::string& b) {
              b[178] = static_cast<char>(0xFF);
              b[179] = 0x7F;
            }).find("kll.level_size: more items than the sketch's capacity"),
            std::string::npos);
  EXPECT_EQ(with([](std::string& b) { b[206] = 30; }),
            "profile: offset 206: hll.lg_k: 30 outside [4, 16]");
  // A repeated column name.
  std::string twice = good;
  twice[34] = 's';
  EXPECT_NE(DecodeError(twice).find("column 's' repeated"), std::string::npos);
}

TEST(ProfileCodecTest, MergeAfterDecode) {
  auto a = DecodeProfile(EncodeProfile(Small()));
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(a->Merge(Small()).ok());
  EXPECT_EQ(a->Find("x")->count(), 6u);
  EXPECT_EQ(a->Find("x")->moments().mean, 2.5);
}

}  // namespace
}  // namespace ferry::monitoring
