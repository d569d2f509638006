#pragma once
// Cron schedules for pipeline triggers: the five fields of crontab(5), in UTC.
//
//   minute (0-59)  hour (0-23)  day-of-month (1-31)  month (1-12 or jan-dec)
//   day-of-week (0-7 or sun-sat; 0 and 7 are Sunday)
//
// Each field is `*` or a comma list of `N`, `N-M`, with an optional `/STEP` after `*` or a
// range. The nicknames @yearly (@annually), @monthly, @weekly, @daily (@midnight) and @hourly
// are accepted. As in Vixie cron, when both day-of-month and day-of-week are restricted (not
// `*`), a day matches if either matches. Errors name the field, the text and what was
// expected, with the 0-based position of the offending character.

#include <bitset>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace ferry::pipeline {

class CronSchedule {
 public:
  static absl::StatusOr<CronSchedule> Parse(std::string_view text);

  // The first whole minute strictly after `unix_seconds` that matches, in Unix seconds (UTC).
  // Every valid schedule fires within 8 years (Feb 29 on a given weekday at the worst);
  // kNotFound past that (e.g. "0 0 30 2 *": February never has a 30th).
  absl::StatusOr<int64_t> Next(int64_t unix_seconds) const;

  bool Matches(int64_t unix_seconds) const;  // the minute holding unix_seconds matches
  const std::string& text() const { return text_; }

 private:
  bool DayMatches(int64_t days_since_epoch) const;  // month, day-of-month, day-of-week

  std::string text_;
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_;     // 1..31
  std::bitset<13> months_;   // 1..12
  std::bitset<7> weekdays_;  // 0..6, Sunday = 0
  bool days_restricted_ = false;
  bool weekdays_restricted_ = false;
};

}  // namespace ferry::pipeline
