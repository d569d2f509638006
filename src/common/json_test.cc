#include "common/json.h"

#include <cmath>
#include <limits>

#include "common/json_writer.h"
#include "gtest/gtest.h"

namespace ferry {
namespace {

TEST(JsonTest, ParsesNestedDocument) {
  auto v = ParseJson(R"({"a":1,"b":[true,null,"x"],"c":{"d":-2.5},"e":18446744073709551615})");
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->Find("a")->as_int(), 1);
  EXPECT_TRUE(v->Find("a")->is_integer());
  ASSERT_EQ(v->Find("b")->items().size(), 3u);
  EXPECT_TRUE(v->Find("b")->items()[0].as_bool());
  EXPECT_TRUE(v->Find("b")->items()[1].is_null());
  EXPECT_EQ(v->Find("b")->items()[2].as_string(), "x");
  EXPECT_DOUBLE_EQ(v->Find("c")->Find("d")->as_double(), -2.5);
  EXPECT_EQ(v->Find("e")->as_uint(), 18446744073709551615ULL);
  EXPECT_EQ(v->Find("zz"), nullptr);
}

TEST(JsonTest, RejectsMalformedInput) {
  static const char* cases[] = {"", "{", "{\"a\":}", "[1,]", "nul", "{\"a\":1}}", "\"\\x\""};
  for (const char* c : cases) {
    auto v = ParseJson(c);
    EXPECT_FALSE(v.ok()) << c;
    EXPECT_EQ(v.status().code(), absl::StatusCode::kInvalidArgument) << c;
  }
}

TEST(JsonTest, RejectsDeepNesting) {
  std::string deep(300, '[');
  deep += std::string(300, ']');
  EXPECT_FALSE(ParseJson(deep).ok());
}

TEST(JsonWriterTest, WritesMlflowDoubleRules) {
  std::string out;
  JsonWriter w(&out);
  w.BeginArray()
      .Double(1.0)
      .Double(0.25)
      .Double(std::nan(""))
      .Double(std::numeric_limits<double>::infinity())
      .Double(-1e300)
      .EndArray();
  EXPECT_EQ(out, R"([1.0,0.25,"NaN","Infinity",-1e+300])");
}

TEST(JsonWriterTest, WholeDoublesBeyondInt64ReadBackAsDoubles) {
  std::string out;
  JsonWriter(&out).BeginArray().Double(-31122277777777777772.11).Double(3.4e38f).EndArray();
  absl::StatusOr<JsonValue> parsed = ParseJson(out);
  ASSERT_TRUE(parsed.ok()) << out << ": " << parsed.status();
  EXPECT_EQ(parsed->items()[0].as_double(), -31122277777777777772.11);
  EXPECT_EQ(parsed->items()[1].as_double(), static_cast<double>(3.4e38f));
}

TEST(JsonWriterTest, EscapesStringsAndRoundTrips) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Field("k\"ey", "line\nbreak\x01\\").Field("n", int64_t{-5}).EndObject();
  EXPECT_EQ(out, "{\"k\\\"ey\":\"line\\nbreak\\u0001\\\\\",\"n\":-5}");
  auto v = ParseJson(out);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->Find("k\"ey")->as_string(), "line\nbreak\x01\\");
  EXPECT_EQ(ToJsonString(*v), out);
}

// Found by json_api_fuzz: an error message quoting a filter with a stray byte (0xb8) was
// written into the error body as is, which made the body invalid JSON.
TEST(JsonWriterTest, ReplacesInvalidUtf8SoThatTheOutputParses) {
  struct {
    std::string in, want;
  } cases[] = {
      {"OR\xb8"
       "20",
       "\"OR\\ufffd20\""},                             // stray continuation byte
      {"\xc3\xa9t\xc3\xa9", "\"\xc3\xa9t\xc3\xa9\""},  // é is kept
      {"\xf0\x9f\x9a\xa2", "\"\xf0\x9f\x9a\xa2\""},    // U+1F6A2 is kept
      {"\xc0\xaf", "\"\\ufffd\\ufffd\""},              // overlong '/'
      {"\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\""},   // surrogate U+D800
      {"a\xe2\x82", "\"a\\ufffd\\ufffd\""},            // cut off at the end
  };
  for (const auto& c : cases) {
    std::string out;
    AppendJsonString(&out, c.in);
    EXPECT_EQ(out, c.want);
    EXPECT_TRUE(ParseJson(out).ok()) << out;
  }
}

}  // namespace
TEST(JsonTest, TopLevelStringSkipsTheRest) {
  const std::string body =
      R"({"metrics":[{"key":"run_id","value":1}],"nested":{"run_id":"inner"},"run_id":"abc\u0031"})";
  EXPECT_EQ(JsonTopLevelString(body, "run_id"), std::optional<std::string>("abc1"));
  EXPECT_EQ(JsonTopLevelString(R"({"run_id":"first","run_id":"second"})", "run_id"),
            std::optional<std::string>("first"));  // as JsonValue::Find
  EXPECT_EQ(JsonTopLevelString(R"({"run_id":7})", "run_id"), std::nullopt);
  EXPECT_EQ(JsonTopLevelString(R"({"other":"x"})", "run_id"), std::nullopt);
  EXPECT_EQ(JsonTopLevelString(R"(["run_id"])", "run_id"), std::nullopt);
  EXPECT_EQ(JsonTopLevelString(R"({"run_id":)", "run_id"), std::nullopt);
  EXPECT_EQ(JsonTopLevelString("", "run_id"), std::nullopt);
}

}  // namespace ferry
