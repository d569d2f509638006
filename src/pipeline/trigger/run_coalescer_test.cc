#include "pipeline/trigger/run_coalescer.h"

#include "gtest/gtest.h"

namespace ferry::pipeline {
namespace {

TriggerEvent Event(TriggerKind kind, int64_t at, std::string detail = "") {
  return TriggerEvent{kind, std::move(detail), at};
}

TEST(RunCoalescerTest, ABurstWhileActiveStartsOneRunAfter) {
  RunCoalescer c;
  std::optional<RunRequest> first = c.Fire(Event(TriggerKind::kAlert, 100, "drift a"));
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->first.detail, "drift a");
  for (int i = 0; i < 50; ++i) EXPECT_FALSE(c.Fire(Event(TriggerKind::kAlert, 101 + i)));
  EXPECT_TRUE(c.has_pending());
  EXPECT_EQ(c.folded_total(), 49);
  std::optional<RunRequest> next = c.Finished(200);
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->events(), 50u);
  EXPECT_EQ(next->first.at_unix, 101);
  EXPECT_FALSE(c.has_pending());
  EXPECT_FALSE(c.Finished(300).has_value());  // nothing left
  EXPECT_FALSE(c.active());
}

TEST(RunCoalescerTest, CooldownSpacesTriggeredRunsButNotManualOnes) {
  RunCoalescer c(/*cooldown_seconds=*/600);
  ASSERT_TRUE(c.Fire(Event(TriggerKind::kSchedule, 0)).has_value());
  EXPECT_FALSE(c.Finished(60).has_value());
  EXPECT_FALSE(c.Fire(Event(TriggerKind::kNewData, 120)).has_value());  // cooling down
  EXPECT_FALSE(c.Poll(599).has_value());
  std::optional<RunRequest> later = c.Poll(600);
  ASSERT_TRUE(later.has_value());
  EXPECT_EQ(later->first.kind, TriggerKind::kNewData);
  EXPECT_FALSE(c.Finished(650).has_value());
  // A person asking is not held back by the cool-down.
  EXPECT_TRUE(c.Fire(Event(TriggerKind::kManual, 700)).has_value());
}

TEST(RunCoalescerTest, ManualFoldedIntoPendingSkipsCooldown) {
  RunCoalescer c(600);
  ASSERT_TRUE(c.Fire(Event(TriggerKind::kAlert, 0)).has_value());
  c.Finished(10);
  EXPECT_FALSE(c.Fire(Event(TriggerKind::kAlert, 20)).has_value());
  std::optional<RunRequest> r = c.Fire(Event(TriggerKind::kManual, 30));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->events(), 2u);
  EXPECT_STREQ(TriggerKindName(r->folded[0].kind), "manual");
}

}  // namespace
}  // namespace ferry::pipeline
