#include "pipeline/trigger/trigger_evaluator.h"

#include <map>

#include "gtest/gtest.h"
#include "pipeline/trigger/run_coalescer.h"

namespace ferry::pipeline {
namespace {

// 2026-12-07T06:22:30Z.
constexpr int64_t kT0 = 1796624550;

TriggerSpec Schedule(const std::string& cron) {
  TriggerSpec t;
  t.kind = TriggerKind::kSchedule;
  t.schedule = cron;
  return t;
}

TriggerSpec Data(const std::string& path, int64_t poll) {
  TriggerSpec t;
  t.kind = TriggerKind::kNewData;
  t.path = path;
  t.poll_seconds = poll;
  return t;
}

// Digests from a map the test edits; a path missing from it is absent.
struct FakeFiles {
  std::map<std::string, std::string> digests;
  int calls = 0;
  TriggerEvaluator::DigestFn Fn() {
    return [this](const std::string& path) -> absl::StatusOr<std::string> {
      ++calls;
      auto it = digests.find(path);
      if (it == digests.end()) return absl::NotFoundError(path);
      if (it->second == "unreadable") return absl::PermissionDeniedError("no access");
      return it->second;
    };
  }
};

TEST(TriggerEvaluatorTest, ScheduleFiresAtEachCronTimeAndOnceAfterAGap) {
  FakeFiles files;
  auto e = TriggerEvaluator::Create({Schedule("*/5 * * * *")}, "/p", files.Fn());
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_TRUE(e->Start(kT0).fired.empty());
  // 06:22:30 -> the next firing is 06:25:00; nothing before it.
  const int64_t due = kT0 + 150;
  for (int64_t t = kT0; t < due; t += 10) EXPECT_TRUE(e->Poll(t).fired.empty()) << t;
  auto at_due = e->Poll(due);
  ASSERT_EQ(at_due.fired.size(), 1u);
  EXPECT_EQ(at_due.fired[0].kind, TriggerKind::kSchedule);
  EXPECT_EQ(at_due.fired[0].detail, "schedule: */5 * * * * (due 2026-12-07T06:25Z)");
  EXPECT_EQ(at_due.fired[0].at_unix, due);
  EXPECT_TRUE(e->Poll(due).fired.empty());         // once per firing time
  EXPECT_TRUE(e->Poll(due + 299).fired.empty());   // 06:29:59
  EXPECT_EQ(e->Poll(due + 300).fired.size(), 1u);  // 06:30
  // An hour without polls (a suspended machine): one firing, not twelve.
  EXPECT_EQ(e->Poll(due + 300 + 3600).fired.size(), 1u);
  EXPECT_TRUE(e->Poll(due + 300 + 3601).fired.empty());
}

TEST(TriggerEvaluatorTest, ScheduleThatNeverFiresIsAWarning) {
  FakeFiles files;
  auto e = TriggerEvaluator::Create({Schedule("0 0 30 2 *")}, "/p", files.Fn());
  ASSERT_TRUE(e.ok());
  auto start = e->Start(kT0);
  ASSERT_EQ(start.warnings.size(), 1u);
  EXPECT_NE(start.warnings[0].find("0 0 30 2 *"), std::string::npos);
  EXPECT_TRUE(e->Poll(kT0 + 10LL * 365 * 86400).fired.empty());
}

TEST(TriggerEvaluatorTest, BadCronIsRefused) {
  FakeFiles files;
  EXPECT_FALSE(TriggerEvaluator::Create({Schedule("61 * * * *")}, "/p", files.Fn()).ok());
}

TEST(TriggerEvaluatorTest, DataFiresWhenTheDigestChangesAtThePollInterval) {
  FakeFiles files;
  files.digests["/p/data/s.csv"] = "sha256:aaaaaaaaaaaaaaaaaaaa";
  auto e = TriggerEvaluator::Create({Data("data/s.csv", 10)}, "/p", files.Fn());
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->size(), 1u);
  auto start = e->Start(kT0);  // the baseline, not a change
  EXPECT_TRUE(start.fired.empty());
  EXPECT_TRUE(start.warnings.empty());
  EXPECT_EQ(files.calls, 1);
  EXPECT_TRUE(e->Poll(kT0 + 10).fired.empty());  // same digest
  files.digests["/p/data/s.csv"] = "sha256:bbbbbbbbbbbbbbbbbbbb";
  EXPECT_TRUE(e->Poll(kT0 + 15).fired.empty());  // not due yet: no digest taken
  EXPECT_EQ(files.calls, 2);
  auto changed = e->Poll(kT0 + 20);
  ASSERT_EQ(changed.fired.size(), 1u);
  EXPECT_EQ(changed.fired[0].kind, TriggerKind::kNewData);
  EXPECT_EQ(changed.fired[0].detail, "new_data: data/s.csv sha256:bbbbbbbbbbbb");
  EXPECT_TRUE(e->Poll(kT0 + 30).fired.empty());  // the new digest is the baseline now
}

TEST(TriggerEvaluatorTest, DataAbsentIsNoChangeButAppearingIs) {
  FakeFiles files;
  auto e = TriggerEvaluator::Create({Data("/abs/dir", 1)}, "/p", files.Fn());
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(e->Start(kT0).fired.empty());
  EXPECT_TRUE(e->Poll(kT0 + 1).fired.empty());
  files.digests["/abs/dir"] = "sha256:cccccccccccccccc";
  ASSERT_EQ(e->Poll(kT0 + 2).fired.size(), 1u);
  files.digests.erase("/abs/dir");
  EXPECT_TRUE(e->Poll(kT0 + 3).fired.empty());  // removed: no run over missing data
  files.digests["/abs/dir"] = "sha256:cccccccccccccccc";
  EXPECT_EQ(e->Poll(kT0 + 4).fired.size(), 1u);  // back again
}

TEST(TriggerEvaluatorTest, UnreadableDataWarnsOnceAndDoesNotFire) {
  FakeFiles files;
  files.digests["/p/d"] = "sha256:1111111111111111";
  auto e = TriggerEvaluator::Create({Data("d", 1)}, "/p", files.Fn());
  ASSERT_TRUE(e.ok());
  e->Start(kT0);
  files.digests["/p/d"] = "unreadable";
  auto first = e->Poll(kT0 + 1);
  EXPECT_TRUE(first.fired.empty());
  ASSERT_EQ(first.warnings.size(), 1u);
  EXPECT_NE(first.warnings[0].find("no access"), std::string::npos);
  EXPECT_TRUE(e->Poll(kT0 + 2).warnings.empty());
  files.digests["/p/d"] = "sha256:1111111111111111";
  EXPECT_TRUE(e->Poll(kT0 + 3).fired.empty());  // readable again, unchanged
}

// The evaluator feeding the coalescer, as the watcher does: a schedule and data changes
// during an active run become one pending run that records every event.
TEST(TriggerEvaluatorTest, EventsDuringARunFoldIntoOnePendingRun) {
  FakeFiles files;
  files.digests["/p/d"] = "sha256:00";
  auto e = TriggerEvaluator::Create({Schedule("* * * * *"), Data("d", 1)}, "/p", files.Fn());
  ASSERT_TRUE(e.ok());
  e->Start(kT0);
  RunCoalescer coalescer;
  std::vector<RunRequest> started;
  for (int64_t t = kT0; t <= kT0 + 200; ++t) {
    if ((t - kT0) % 7 == 3) files.digests["/p/d"] = "sha256:" + std::to_string(t);
    for (const TriggerEvent& ev : e->Poll(t).fired) {
      if (auto r = coalescer.Fire(ev)) started.push_back(*r);
    }
    if (t == kT0 + 150) {  // the first run ends
      if (auto r = coalescer.Finished(t)) started.push_back(*r);
    }
  }
  ASSERT_EQ(started.size(), 2u);
  EXPECT_EQ(started[0].first.kind, TriggerKind::kNewData);  // the change at kT0 + 3
  EXPECT_EQ(started[0].first.at_unix, kT0 + 3);
  EXPECT_EQ(started[0].events(), 1u);
  // Changes at kT0 + 10, 17, ..., 150 (21) and the minutes at kT0 + 30, 90, 150 (3).
  EXPECT_EQ(started[1].events(), 24u);
  EXPECT_EQ(started[1].first.at_unix, kT0 + 10);
  int schedules = 0;
  for (const TriggerEvent& ev : started[1].folded) schedules += ev.kind == TriggerKind::kSchedule;
  schedules += started[1].first.kind == TriggerKind::kSchedule;
  EXPECT_EQ(schedules, 3);
  EXPECT_TRUE(coalescer.active());
  EXPECT_TRUE(coalescer.has_pending());  // events after kT0+150 wait for the second run
}

}  // namespace
}  // namespace ferry::pipeline
