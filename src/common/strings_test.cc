#include "common/strings.h"

#include "common/clock.h"
#include "gtest/gtest.h"

namespace ferry {
namespace {

TEST(StringsTest, Base64RoundTrip) {
  static const char* cases[] = {"", "a", "ab", "abc", "abcd", "{\"offset\": 100}"};
  for (const char* c : cases) {
    auto enc = Base64Encode(c);
    auto dec = Base64Decode(enc);
    ASSERT_TRUE(dec.has_value()) << c;
    EXPECT_EQ(*dec, c);
  }
  EXPECT_EQ(Base64Encode("ab"), "YWI=");
  EXPECT_FALSE(Base64Decode("abc").has_value());
  EXPECT_FALSE(Base64Decode("ab!d").has_value());
  EXPECT_FALSE(Base64Decode("a=bc").has_value());
}

TEST(StringsTest, UrlDecode) {
  EXPECT_EQ(*UrlDecode("a%20b+c", true), "a b c");
  EXPECT_EQ(*UrlDecode("a+b", false), "a+b");
  EXPECT_FALSE(UrlDecode("%2", false).has_value());
  EXPECT_FALSE(UrlDecode("%zz", false).has_value());
  EXPECT_EQ(*UrlDecode(UrlEncode("x y/é?"), false), "x y/é?");
}

TEST(StringsTest, StrictNumberParsing) {
  EXPECT_EQ(ParseInt64("123"), 123);
  EXPECT_EQ(ParseInt64("-9223372036854775808"), INT64_MIN);
  EXPECT_FALSE(ParseInt64("9223372036854775808").has_value());
  EXPECT_FALSE(ParseInt64("12a").has_value());
  EXPECT_FALSE(ParseInt64("").has_value());
  EXPECT_DOUBLE_EQ(*ParseDouble("1e-3"), 1e-3);
  EXPECT_FALSE(ParseDouble("1.0x").has_value());
  EXPECT_FALSE(ParseDouble(" 1").has_value());
}

TEST(StringsTest, UuidHexIsVersion4) {
  std::string id = NewUuidHex(SystemRandom());
  ASSERT_EQ(id.size(), 32u);
  EXPECT_EQ(id[12], '4');
  EXPECT_NE(id, NewUuidHex(SystemRandom()));
}

TEST(StringsTest, Utf8Validation) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain/ascii.txt"));
  EXPECT_TRUE(IsValidUtf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("\xFF"));
  EXPECT_FALSE(IsValidUtf8("a\xC3"));             // truncated
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // over U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xE2\x82x"));         // bad continuation
}

TEST(StringsTest, FormatShortestRoundTrips) {
  EXPECT_EQ(FormatShortest(3), "3");
  EXPECT_EQ(FormatShortest(0.1), "0.1");
  EXPECT_EQ(FormatShortest(-2.5), "-2.5");
  EXPECT_EQ(FormatShortest(1e300), "1e+300");
}

}  // namespace
}  // namespace ferry
