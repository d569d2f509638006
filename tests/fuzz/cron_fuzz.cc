// libFuzzer target for pipeline trigger schedules (pipeline/trigger/cron.h): the `cron:`
// value of a pipeline file. Properties checked:
//   * every error is kInvalidArgument and ends with " at position <n>", n <= input size;
//   * a schedule that parses either never fires (kNotFound) or fires strictly after the
//     given time, on a minute boundary, at a minute it matches, and nothing matches between.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "pipeline/trigger/cron.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 256) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<ferry::pipeline::CronSchedule> schedule =
      ferry::pipeline::CronSchedule::Parse(text);
  if (!schedule.ok()) {
    CheckErrorAtPosition(schedule.status(), size);
    return 0;
  }
  constexpr int64_t kStart = 1796613270;  // 2026-12-07T03:14:30Z
  absl::StatusOr<int64_t> next = schedule->Next(kStart);
  if (!next.ok()) {
    Check(next.status().code() == absl::StatusCode::kNotFound);
    return 0;
  }
  Check(*next > kStart && *next % 60 == 0);
  Check(schedule->Matches(*next));
  // Nothing in between matches (checked over the first day only, to stay fast).
  for (int64_t t = (kStart / 60 + 1) * 60; t < *next && t < kStart + 86400; t += 60) {
    Check(!schedule->Matches(t));
  }
  return 0;
}
