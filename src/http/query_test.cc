#include "http/query.h"

#include "gtest/gtest.h"

namespace ferry::http {
namespace {

using Entries = std::vector<QueryParams::Entry>;

TEST(QueryTest, ParsesInOrder) {
  static const struct {
    const char* query;
    Entries expected;
  } cases[] = {
      {"", {}},
      {"a=1", {{"a", "1"}}},
      {"a=1&b=2&a=3", {{"a", "1"}, {"b", "2"}, {"a", "3"}}},
      {"x=a+b%20c&y=%2B", {{"x", "a b c"}, {"y", "+"}}},
      {"tag[]=p&tag[]=q", {{"tag", "p"}, {"tag", "q"}}},
      {"flag&&=v&k=", {{"flag", ""}, {"", "v"}, {"k", ""}}},
      {"k=a=b", {{"k", "a=b"}}},
      {"%5B%5D=1", {{"", "1"}}},
      {"caf%C3%A9=%e2%82%ac", {{"caf\xC3\xA9", "\xE2\x82\xAC"}}},
  };
  for (const auto& c : cases) {
    auto parsed = ParseQuery(c.query);
    ASSERT_TRUE(parsed.ok()) << c.query;
    EXPECT_EQ(parsed->entries(), c.expected) << c.query;
  }
}

TEST(QueryTest, RejectsMalformedEscapes) {
  for (const char* query : {"a=%", "a=%4", "a=%zz", "%g1=1", "a=1&b=%0", "a=%00"}) {
    auto parsed = ParseQuery(query);
    EXPECT_FALSE(parsed.ok()) << query;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << query;
  }
}

TEST(QueryTest, Lookup) {
  auto parsed = ParseQuery("run_id=r1&metric_key=m&metric_key=n&max_results=5");
  ASSERT_TRUE(parsed.ok());
  ASSERT_NE(parsed->Get("run_id"), nullptr);
  EXPECT_EQ(*parsed->Get("run_id"), "r1");
  EXPECT_EQ(*parsed->Get("metric_key"), "m");
  EXPECT_EQ(parsed->GetAll("metric_key"), (std::vector<std::string_view>{"m", "n"}));
  EXPECT_TRUE(parsed->GetAll("nope").empty());
  EXPECT_EQ(parsed->Get("nope"), nullptr);
  EXPECT_TRUE(parsed->Has("max_results"));
  EXPECT_EQ(parsed->size(), 4u);
}

}  // namespace
}  // namespace ferry::http
