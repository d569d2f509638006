#include "pipeline/trigger/trigger_evaluator.h"

#include <ctime>
#include <utility>

#include "common/strings.h"

namespace ferry::pipeline {
namespace {

// "2026-12-07T06:35Z".
std::string UtcMinute(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%MZ", &tm);
  return buf;
}

// "sha256:0123456789ab" (12 hex digits are plenty to tell versions apart in a log line).
std::string ShortDigest(const std::string& digest) {
  const size_t colon = digest.find(':');
  const size_t keep = colon == std::string::npos ? 12 : colon + 13;
  return digest.substr(0, keep);
}

}  // namespace

absl::StatusOr<TriggerEvaluator> TriggerEvaluator::Create(const std::vector<TriggerSpec>& triggers,
                                                          std::string base_dir, DigestFn digest) {
  TriggerEvaluator e(std::move(base_dir), std::move(digest));
  for (const TriggerSpec& t : triggers) {
    if (t.kind == TriggerKind::kSchedule) {
      ASSIGN_OR_RETURN(CronSchedule cron, CronSchedule::Parse(t.schedule));
      e.schedules_.push_back(Schedule{std::move(cron), std::nullopt});
    } else if (t.kind == TriggerKind::kNewData) {
      Data d;
      d.spec = t;
      d.abs_path = !t.path.empty() && t.path[0] == '/' ? t.path : e.base_dir_ + "/" + t.path;
      e.data_.push_back(std::move(d));
    }
  }
  return e;
}

TriggerEvaluator::Result TriggerEvaluator::Start(int64_t now_unix) {
  Result out;
  for (Schedule& s : schedules_) {
    absl::StatusOr<int64_t> next = s.cron.Next(now_unix);
    s.next = next.ok() ? std::optional<int64_t>(*next) : std::nullopt;
    if (!next.ok()) {
      out.warnings.push_back(
          StrCat("schedule ", s.cron.text(), ": ", std::string(next.status().message())));
    }
  }
  for (Data& d : data_) {
    d.seen.reset();
    d.next_poll = now_unix;
    PollData(d, now_unix, out);  // only sets the baseline: nothing was seen before
  }
  return out;
}

TriggerEvaluator::Result TriggerEvaluator::Poll(int64_t now_unix) {
  Result out;
  for (Schedule& s : schedules_) {
    if (!s.next || now_unix < *s.next) continue;
    out.fired.push_back(TriggerEvent{
        TriggerKind::kSchedule,
        StrCat("schedule: ", s.cron.text(), " (due ", UtcMinute(*s.next), ")"), now_unix});
    absl::StatusOr<int64_t> next = s.cron.Next(now_unix);
    s.next = next.ok() ? std::optional<int64_t>(*next) : std::nullopt;
  }
  for (Data& d : data_) PollData(d, now_unix, out);
  return out;
}

void TriggerEvaluator::PollData(Data& d, int64_t now_unix, Result& out) {
  if (now_unix < d.next_poll) return;
  d.next_poll = now_unix + std::max<int64_t>(1, d.spec.poll_seconds);
  absl::StatusOr<std::string> digest = digest_(d.abs_path);
  if (!digest.ok() && !absl::IsNotFound(digest.status())) {
    if (!d.warned) {
      out.warnings.push_back(
          StrCat("data ", d.spec.path, ": ", std::string(digest.status().message())));
    }
    d.warned = true;
    return;
  }
  d.warned = false;
  const std::string now_seen = digest.ok() ? *digest : "absent";
  if (d.seen && *d.seen != now_seen && digest.ok()) {
    out.fired.push_back(TriggerEvent{TriggerKind::kNewData,
                                     StrCat("new_data: ", d.spec.path, " ", ShortDigest(*digest)),
                                     now_unix});
  }
  d.seen = now_seen;
}

}  // namespace ferry::pipeline
