// libFuzzer target for pipeline trigger schedules (pipeline/trigger/cron.h): the `cron:`
// value of a pipeline file. Properties checked:
//   * every error is kInvalidArgument and ends with " at position <n>", n <= input size;
//   * a schedule that parses either never fires (kNotFound) or fires strictly after the
//     given time, on a minute boundary, at a minute it matches, and nothing matches between.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "pipeline/trigger/cron.h"

namespace {

#define Check(condition)                                                               \
  do {                                                                                 \
    if (!(condition)) {                                                                \
      std::fprintf(stderr, "cron_fuzz: failed: %s (line %d)\n", #condition, __LINE__); \
      __builtin_trap();                                                                \
    }                                                                                  \
  } while (0)

void CheckError(const absl::Status& status, size_t input_size) {
  Check(status.code() == absl::StatusCode::kInvalidArgument);
  std::string message(status.message());
  size_t at = message.rfind(" at position ");
  Check(at != std::string::npos);
  std::string digits = message.substr(at + 13);
  Check(!digits.empty() && digits.size() < 20);
  for (char c : digits) Check(c >= '0' && c <= '9');
  Check(std::stoull(digits) <= input_size);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 256) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<ferry::pipeline::CronSchedule> schedule =
      ferry::pipeline::CronSchedule::Parse(text);
  if (!schedule.ok()) {
    CheckError(schedule.status(), size);
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
