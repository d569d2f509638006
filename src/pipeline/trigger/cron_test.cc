#include "pipeline/trigger/cron.h"

#include "gtest/gtest.h"

namespace ferry::pipeline {
namespace {

// Unix seconds of the UTC times named beside them (from Python's datetime).
constexpr int64_t k0314_30 = 1796613270;      // 2026-12-07T03:14:30 (a Monday)
constexpr int64_t k0315 = 1796613300;         // 2026-12-07T03:15:00
constexpr int64_t k0300 = 1796612400;         // 2026-12-07T03:00:00
constexpr int64_t kNext0300 = 1796698800;     // 2026-12-08T03:00:00
constexpr int64_t kMarch2026 = 1772323200;    // 2026-03-01T00:00:00
constexpr int64_t kLeapDay2028 = 1835395200;  // 2028-02-29T00:00:00
constexpr int64_t kFriday = 1796947200;       // 2026-12-11T00:00:00
constexpr int64_t kSundayNoon = 1797163200;   // 2026-12-13T12:00:00
constexpr int64_t kYearEnd = 1798761599;      // 2026-12-31T23:59:59
constexpr int64_t kNewYear = 1798761600;      // 2027-01-01T00:00:00

int64_t NextOf(std::string_view text, int64_t after) {
  absl::StatusOr<CronSchedule> s = CronSchedule::Parse(text);
  EXPECT_TRUE(s.ok()) << s.status();
  absl::StatusOr<int64_t> next = s->Next(after);
  EXPECT_TRUE(next.ok()) << next.status();
  return next.value_or(-1);
}

TEST(CronTest, NextFiring) {
  EXPECT_EQ(NextOf("*/15 * * * *", k0314_30), k0315);
  EXPECT_EQ(NextOf("*/15 * * * *", k0315), k0315 + 15 * 60);  // strictly after
  EXPECT_EQ(NextOf("0 3 * * *", k0300), kNext0300);
  EXPECT_EQ(NextOf("@daily", kYearEnd), kNewYear);
  EXPECT_EQ(NextOf("@yearly", kMarch2026), kNewYear);
  EXPECT_EQ(NextOf("0 0 29 2 *", kMarch2026), kLeapDay2028);
  EXPECT_EQ(NextOf("0 12 * * 7", k0300), kSundayNoon);  // 7 is Sunday too
  EXPECT_EQ(NextOf("0 12 * * sun", k0300), kSundayNoon);
  EXPECT_EQ(NextOf("0 0 * dec fri", k0300), kFriday);
  EXPECT_EQ(NextOf("* * * * *", -30), 0);  // before the epoch
}

// Vixie cron: both day fields restricted means either may match.
TEST(CronTest, DayOfMonthOrDayOfWeek) {
  EXPECT_EQ(NextOf("0 0 13 * 5", k0300), kFriday);  // Friday the 11th before the 13th
  EXPECT_EQ(NextOf("0 0 13 * *", k0300), kFriday + 2 * 86400);
  absl::StatusOr<CronSchedule> s = CronSchedule::Parse("0 0 13 * 5");
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->Matches(kFriday + 30));
  EXPECT_FALSE(s->Matches(kFriday + 60));
}

TEST(CronTest, ListsRangesSteps) {
  absl::StatusOr<CronSchedule> s = CronSchedule::Parse("5,10-20/5 3 * * mon-fri");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_TRUE(s->Matches(k0300 + 5 * 60));
  EXPECT_TRUE(s->Matches(k0300 + 15 * 60));
  EXPECT_TRUE(s->Matches(k0300 + 20 * 60));
  EXPECT_FALSE(s->Matches(k0300 + 25 * 60));
  EXPECT_FALSE(s->Matches(kSundayNoon - 9 * 3600 + 5 * 60));  // Sunday 03:05
}

TEST(CronTest, NeverFiring) {
  absl::StatusOr<CronSchedule> s = CronSchedule::Parse("0 0 30 2 *");
  ASSERT_TRUE(s.ok());
  absl::StatusOr<int64_t> next = s->Next(k0300);
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.status().code(), absl::StatusCode::kNotFound);
}

void ExpectError(std::string_view text, std::string_view message) {
  absl::StatusOr<CronSchedule> s = CronSchedule::Parse(text);
  ASSERT_FALSE(s.ok()) << text;
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(s.status().message()), message) << text;
}

TEST(CronTest, ErrorsNameFieldAndPosition) {
  ExpectError("60 * * * *", "cron minute field '60': expected a number from 0 to 59 at position 0");
  ExpectError("* * * *",
              "cron expression '* * * *': expected 5 fields (minute hour day-of-month month "
              "day-of-week), got 4 at position 7");
  ExpectError("* * * * * *",
              "cron expression '* * * * * *': expected 5 fields (minute hour day-of-month month "
              "day-of-week), got 6 at position 10");
  ExpectError("*/0 * * * *", "cron minute field '*/0': expected a step from 1 to 60 at position 2");
  ExpectError("0 5/2 * * *",
              "cron hour field '5/2': expected ',' or the end of the field ('/' needs * or a "
              "range) at position 3");
  ExpectError("0 0 0 * *",
              "cron day-of-month field '0': expected a number from 1 to 31 at position 4");
  ExpectError("0 0 * foo *",
              "cron month field 'foo': expected a number from 1 to 12 or a name such as 'jan' at "
              "position 6");
  ExpectError("0 0 * * 1,,2",
              "cron day-of-week field '1,,2': expected a number from 0 to 7 or a name such as "
              "'sun' at position 10");
  ExpectError("0 0 * * 1,",
              "cron day-of-week field '1,': expected ',' followed by another item, or the end of "
              "the field at position 9");
  ExpectError("0 20-10 * * *",
              "cron hour field '20-10': expected an end of at least 20 at position 6");
  ExpectError("@reboot",
              "cron expression '@reboot': expected @yearly, @annually, @monthly, @weekly, @daily, "
              "@midnight or @hourly at position 0");
  ExpectError("",
              "cron expression '': expected 5 fields (minute hour day-of-month month "
              "day-of-week), got 0 at position 0");
  ExpectError("99999999999 * * * *",
              "cron minute field '99999999999': expected a number from 0 to 59 at position 0");
}

}  // namespace
}  // namespace ferry::pipeline
