#include "pipeline/trigger/cron.h"

#include <array>
#include <vector>

#include "common/strings.h"

namespace ferry::pipeline {
namespace {

struct FieldSpec {
  const char* name;
  int min;
  int max;
  const char* const* names;  // names for min..min+count-1, or null
  int name_count;
};

constexpr const char* kMonthNames[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                       "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr const char* kDayNames[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

constexpr std::array<FieldSpec, 5> kFields = {{
    {"minute", 0, 59, nullptr, 0},
    {"hour", 0, 23, nullptr, 0},
    {"day-of-month", 1, 31, nullptr, 0},
    {"month", 1, 12, kMonthNames, 12},
    {"day-of-week", 0, 7, kDayNames, 7},
}};

absl::Status FieldError(const FieldSpec& f, std::string_view text, size_t pos,
                        std::string_view what) {
  return absl::InvalidArgumentError(
      StrCat("cron ", f.name, " field '", text, "': expected ", what, " at position ", pos));
}

// One number or name of field `f` at text[*i], advancing *i; `base` is the field's offset in
// the whole expression (for the error position).
absl::StatusOr<int> ReadValue(const FieldSpec& f, std::string_view text, size_t* i, size_t base) {
  size_t start = *i;
  if (*i < text.size() && text[*i] >= '0' && text[*i] <= '9') {
    int value = 0;
    while (*i < text.size() && text[*i] >= '0' && text[*i] <= '9' && value <= 1000) {
      value = value * 10 + (text[*i] - '0');
      ++*i;
    }
    if (value < f.min || value > f.max) {
      return FieldError(f, text, base + start, StrCat("a number from ", f.min, " to ", f.max));
    }
    return value;
  }
  if (f.names != nullptr && *i + 3 <= text.size()) {
    std::string word = ToLower(text.substr(*i, 3));
    for (int n = 0; n < f.name_count; ++n) {
      if (word == f.names[n]) {
        *i += 3;
        return f.min + n;
      }
    }
  }
  return FieldError(f, text, base + start,
                    f.names != nullptr ? StrCat("a number from ", f.min, " to ", f.max,
                                                " or a name such as '", f.names[0], "'")
                                       : StrCat("a number from ", f.min, " to ", f.max));
}

// One comma-separated item: `*`, `N`, `N-M`, each optionally `/STEP` (not after a single N).
absl::Status ParseItem(const FieldSpec& f, std::string_view text, size_t* i, size_t base,
                       std::vector<bool>* out) {
  int lo = f.min;
  int hi = f.max;
  bool single = false;
  if (*i < text.size() && text[*i] == '*') {
    ++*i;
  } else {
    ASSIGN_OR_RETURN(lo, ReadValue(f, text, i, base));
    hi = lo;
    single = true;
    if (*i < text.size() && text[*i] == '-') {
      ++*i;
      ASSIGN_OR_RETURN(hi, ReadValue(f, text, i, base));
      single = false;
      if (hi < lo) return FieldError(f, text, base + *i - 1, StrCat("an end of at least ", lo));
    }
  }
  int step = 1;
  if (*i < text.size() && text[*i] == '/') {
    if (single)
      return FieldError(f, text, base + *i, "',' or the end of the field ('/' needs * or a range)");
    ++*i;
    size_t start = *i;
    step = 0;
    while (*i < text.size() && text[*i] >= '0' && text[*i] <= '9' && step <= 1000) {
      step = step * 10 + (text[*i] - '0');
      ++*i;
    }
    if (*i == start || step < 1 || step > f.max - f.min + 1) {
      return FieldError(f, text, base + start, StrCat("a step from 1 to ", f.max - f.min + 1));
    }
  }
  for (int v = lo; v <= hi; v += step) (*out)[v - f.min] = true;
  return absl::OkStatus();
}

absl::Status ParseField(const FieldSpec& f, std::string_view text, size_t base,
                        std::vector<bool>* out) {
  out->assign(f.max - f.min + 1, false);
  size_t i = 0;
  while (true) {
    RETURN_IF_ERROR(ParseItem(f, text, &i, base, out));
    if (i == text.size()) return absl::OkStatus();
    if (text[i] != ',' || i + 1 == text.size()) {
      return FieldError(f, text, base + i, "',' followed by another item, or the end of the field");
    }
    ++i;
  }
}

std::string_view Nickname(std::string_view text) {
  if (text == "@yearly" || text == "@annually") return "0 0 1 1 *";
  if (text == "@monthly") return "0 0 1 * *";
  if (text == "@weekly") return "0 0 * * 0";
  if (text == "@daily" || text == "@midnight") return "0 0 * * *";
  if (text == "@hourly") return "0 * * * *";
  return "";
}

// Days since 1970-01-01 to a civil date (H. Hinnant's algorithm), UTC.
void CivilFromDays(int64_t z, int* year, int* month, int* day) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *year = static_cast<int>(yoe + era * 400 + (*month <= 2 ? 1 : 0));
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

absl::StatusOr<CronSchedule> CronSchedule::Parse(std::string_view text) {
  CronSchedule s;
  s.text_ = std::string(text);
  std::string_view body = text;
  if (!text.empty() && text[0] == '@') {
    body = Nickname(text);
    if (body.empty()) {
      return absl::InvalidArgumentError(StrCat(
          "cron expression '", text,
          "': expected @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly at "
          "position 0"));
    }
  }
  std::vector<std::pair<size_t, std::string_view>> fields;  // (offset, text)
  size_t i = 0;
  while (i < body.size()) {
    while (i < body.size() && (body[i] == ' ' || body[i] == '\t')) ++i;
    if (i == body.size()) break;
    size_t start = i;
    while (i < body.size() && body[i] != ' ' && body[i] != '\t') ++i;
    fields.emplace_back(start, body.substr(start, i - start));
  }
  if (fields.size() != 5) {
    return absl::InvalidArgumentError(StrCat("cron expression '", text,
                                             "': expected 5 fields (minute hour day-of-month month "
                                             "day-of-week), got ",
                                             fields.size(), " at position ",
                                             fields.size() > 5 ? fields[5].first : body.size()));
  }
  std::array<std::vector<bool>, 5> bits;
  for (size_t f = 0; f < 5; ++f) {
    RETURN_IF_ERROR(ParseField(kFields[f], fields[f].second, fields[f].first, &bits[f]));
  }
  for (int v = 0; v < 60; ++v) s.minutes_[v] = bits[0][v];
  for (int v = 0; v < 24; ++v) s.hours_[v] = bits[1][v];
  for (int v = 1; v <= 31; ++v) s.days_[v] = bits[2][v - 1];
  for (int v = 1; v <= 12; ++v) s.months_[v] = bits[3][v - 1];
  for (int v = 0; v <= 7; ++v) {
    if (bits[4][v]) s.weekdays_[v % 7] = true;
  }
  s.days_restricted_ = fields[2].second[0] != '*';
  s.weekdays_restricted_ = fields[4].second[0] != '*';
  return s;
}

bool CronSchedule::DayMatches(int64_t days) const {
  int year, month, day;
  CivilFromDays(days, &year, &month, &day);
  const int weekday = static_cast<int>(((days % 7) + 11) % 7);  // 1970-01-01 was a Thursday
  if (!months_[month]) return false;
  const bool day_ok = days_[day];
  const bool weekday_ok = weekdays_[weekday];
  if (days_restricted_ && weekdays_restricted_) return day_ok || weekday_ok;
  return day_ok && weekday_ok;
}

bool CronSchedule::Matches(int64_t unix_seconds) const {
  const int64_t minute_of_epoch = FloorDiv(unix_seconds, 60);
  const int64_t days = FloorDiv(minute_of_epoch, 1440);
  const int minute_of_day = static_cast<int>(minute_of_epoch - days * 1440);
  return minutes_[minute_of_day % 60] && hours_[minute_of_day / 60] && DayMatches(days);
}

absl::StatusOr<int64_t> CronSchedule::Next(int64_t unix_seconds) const {
  // Day by day (at most 8 years of them), then the first matching time in a matching day.
  const int64_t first_minute = FloorDiv(unix_seconds, 60) + 1;
  const int64_t first_day = FloorDiv(first_minute, 1440);
  for (int64_t day = first_day; day <= first_day + 8 * 366; ++day) {
    if (!DayMatches(day)) continue;
    for (int h = 0; h < 24; ++h) {
      if (!hours_[h]) continue;
      for (int m = 0; m < 60; ++m) {
        const int64_t minute = day * 1440 + h * 60 + m;
        if (minutes_[m] && minute >= first_minute) return minute * 60;
      }
    }
  }
  return absl::NotFoundError(
      StrCat("cron expression '", text_, "' does not fire in the 8 years after ", unix_seconds));
}

}  // namespace ferry::pipeline
