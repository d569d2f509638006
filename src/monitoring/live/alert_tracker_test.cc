#include "monitoring/live/alert_tracker.h"

#include <gtest/gtest.h>

#include "monitoring/live/pending_labels.h"

namespace ferry::monitoring {
namespace {

TEST(AlertTrackerTest, HysteresisBothWays) {
  AlertTracker t("data_drift", 3, 2);
  std::vector<Finding> f{{"x", "sketch_ks", 0.3}};
  EXPECT_FALSE(t.Observe("d", 0, true, f, "one"));
  EXPECT_FALSE(t.Observe("d", 1, true, {{"y", "jensenshannon", 0.2}}, "two"));
  std::optional<AlertEvent> e = t.Observe("d", 2, true, {{"x", "sketch_ks", 0.4}}, "three");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->state, "firing");
  EXPECT_EQ(e->first_window, 0u);
  EXPECT_EQ(e->columns, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(e->statistics, (std::vector<double>{0.4, 0.2}));  // the latest per column
  EXPECT_EQ(e->message, "Data drift in deployment 'd' in windows 0-2: three.");
  EXPECT_FALSE(t.Observe("d", 3, false, {}, "clean"));
  EXPECT_FALSE(t.Observe("d", 4, true, f, "again"));  // breaks the clean run
  EXPECT_FALSE(t.Observe("d", 5, false, {}, "clean"));
  e = t.Observe("d", 6, false, {}, "0 of 2 input columns drifted");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->state, "resolved");
  EXPECT_EQ(e->first_window, 0u);
  EXPECT_EQ(e->last_window, 6u);
  EXPECT_NE(e->message.find("windows 5-6 were clean"), std::string::npos) << e->message;
  EXPECT_FALSE(t.firing());
}

TEST(AlertTrackerTest, BrokenRunStartsOver) {
  AlertTracker t("bias", 2, 1);
  EXPECT_FALSE(t.Observe("d", 0, true, {}, ""));
  EXPECT_FALSE(t.Observe("d", 1, false, {}, ""));
  EXPECT_FALSE(t.Observe("d", 2, true, {}, ""));
  std::optional<AlertEvent> e = t.Observe("d", 3, true, {}, "");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->first_window, 2u);
}

TEST(PendingLabelsTest, FifoForgetsOldestRowsAndKeepsReplacedIds) {
  PendingLabels p(3);
  p.BeginRequest("a");
  p.AddRow({0, 0, false});
  p.AddRow({0, 1, false});
  p.BeginRequest("b");
  p.AddRow({1, 0, false});
  ASSERT_NE(p.Find("a", 1), nullptr);
  EXPECT_EQ(p.Find("a", 1)->buffer_row, 1u);
  EXPECT_EQ(p.Find("a", 2), nullptr);
  p.BeginRequest("c");
  p.AddRow({1, 1, false});  // evicts a's row 0
  EXPECT_EQ(p.Find("a", 0), nullptr);
  EXPECT_NE(p.Find("a", 1), nullptr);
  p.BeginRequest("a");  // a newer request with the same id replaces it
  p.AddRow({2, 0, false});
  EXPECT_EQ(p.Find("a", 0)->window, 2u);
  EXPECT_EQ(p.Find("a", 1), nullptr);
  p.BeginRequest("d");
  p.AddRow({2, 1, false});  // evicts the old a's last row: the new a stays known
  EXPECT_EQ(p.Find("a", 0)->window, 2u);
  EXPECT_EQ(p.size(), 3u);
  EXPECT_LE(p.requests(), 4u);
  PendingLabels none(0);
  none.BeginRequest("x");
  none.AddRow({0, 0, false});
  EXPECT_EQ(none.Find("x", 0), nullptr);
}

}  // namespace
}  // namespace ferry::monitoring
