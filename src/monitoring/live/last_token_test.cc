#include "monitoring/live/last_token.h"

#include <gtest/gtest.h>

#include <memory>

#include "monitoring/live/deployment_monitor.h"

namespace ferry::monitoring {
namespace {

TEST(LastTokenTest, TakesTheLastWhitespaceSeparatedToken) {
  EXPECT_EQ(LastToken("i1 i7 i42"), "i42");
  EXPECT_EQ(LastToken("i42"), "i42");
  EXPECT_EQ(LastToken("  i1\ti9 \n"), "i9");
  EXPECT_EQ(LastToken(""), "");
  EXPECT_EQ(LastToken("   "), "");
}

TEST(LastTokenTest, KeepsOnlyTextColumnsLastTokens) {
  Column text{"session", false, {}, {"a b c", "d", "", "e  f "}};
  KeepLastTokens(text);
  EXPECT_EQ(text.strings, (std::vector<std::string>{"c", "d", "", "f"}));
  Column numbers{"x", true, {1.5, 2}, {}};
  KeepLastTokens(numbers);
  EXPECT_EQ(numbers.numbers, (std::vector<double>{1.5, 2}));
}

// Sessions over a fixed catalogue, each unique as a string: as whole strings two windows of
// the same traffic look different to the frequent items; by their last item they do not,
// and a changed catalogue is found.
Frame Sessions(int first_item, int rows, int salt) {
  Column c{"session", false, {}, {}};
  for (int r = 0; r < rows; ++r) {
    const int item = first_item + (r * 7 + salt) % 20;
    c.strings.push_back("u" + std::to_string(salt) + "_" + std::to_string(r) + " i" +
                        std::to_string(item));
  }
  Frame f;
  f.columns.push_back(std::move(c));
  return f;
}

Frame Predictions(int rows) {
  Frame f;
  f.columns.push_back(Column{"p", true, std::vector<double>(static_cast<size_t>(rows), 1.0), {}});
  return f;
}

bool DataDrift(bool last_tokens, int drift_first_item) {
  LiveOptions o;
  o.window_rows = 400;
  o.alert_after = 1;
  o.columns = {"session"};
  auto m = DeploymentMonitor::Create("recsys", std::nullopt, o);
  EXPECT_TRUE(m.ok());
  for (int w = 0; w < 2; ++w) {
    Frame in = Sessions(w == 0 ? 0 : drift_first_item, 400, w);
    if (last_tokens) KeepLastTokens(in.columns[0]);
    EXPECT_TRUE((*m)->Add(w, "r" + std::to_string(w), in, Predictions(400)).ok());
  }
  std::vector<WindowResult> windows = (*m)->Windows();
  EXPECT_EQ(windows.size(), 2u);
  return windows.back().dataset_drift;
}

TEST(LastTokenTest, MakesSessionDriftMeaningful) {
  EXPECT_TRUE(DataDrift(false, 0));   // whole strings: "drift" between identical traffic
  EXPECT_FALSE(DataDrift(true, 0));   // last items: the same traffic is the same
  EXPECT_TRUE(DataDrift(true, 100));  // last items: a new catalogue is drift
}

}  // namespace
}  // namespace ferry::monitoring
