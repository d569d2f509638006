#pragma once
// The triggers a watcher evaluates itself, on its own clock: cron schedules and watched data
// paths. Pure apart from the digest function it is given: the caller reads the clock and
// calls Poll, so tests drive it with any times they like.
//
// A schedule fires once when the clock reaches its next firing time (several missed firings,
// e.g. after a suspended machine, fire once). A data trigger takes its path's digest every
// `poll_seconds` and fires when the digest differs from the last one it saw: at Start, then
// at each firing. A path that is absent is not a change; one that appears is.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "pipeline/trigger/cron.h"
#include "pipeline/trigger/run_coalescer.h"
#include "pipeline/trigger/trigger_spec.h"

namespace ferry::pipeline {

class TriggerEvaluator {
 public:
  // "sha256:<hex>" of the file or directory at an absolute path; kNotFound when absent.
  using DigestFn = std::function<absl::StatusOr<std::string>(const std::string& path)>;

  // Takes the schedule and data triggers of `triggers` (others are left to the webhook side).
  // `base_dir`: where relative data paths start. kInvalidArgument for a bad cron text.
  static absl::StatusOr<TriggerEvaluator> Create(const std::vector<TriggerSpec>& triggers,
                                                 std::string base_dir, DigestFn digest);

  struct Result {
    std::vector<TriggerEvent> fired;
    std::vector<std::string> warnings;  // a digest that could not be taken, a dead schedule
  };
  // The baseline at `now_unix`: every data path's digest, every schedule's next firing.
  Result Start(int64_t now_unix);
  // What fires at `now_unix` (call it as often as you like; work is done only when due).
  Result Poll(int64_t now_unix);

  size_t size() const { return schedules_.size() + data_.size(); }

 private:
  struct Schedule {
    CronSchedule cron;
    std::optional<int64_t> next;  // nullopt: never fires again
  };
  struct Data {
    TriggerSpec spec;
    std::string abs_path;
    std::optional<std::string> seen;  // "absent" for a missing path; nullopt: unknown
    int64_t next_poll = 0;
    bool warned = false;
  };

  TriggerEvaluator(std::string base_dir, DigestFn digest)
      : base_dir_(std::move(base_dir)), digest_(std::move(digest)) {}
  void PollData(Data& d, int64_t now_unix, Result& out);

  std::string base_dir_;
  DigestFn digest_;
  std::vector<Schedule> schedules_;
  std::vector<Data> data_;
};

}  // namespace ferry::pipeline
