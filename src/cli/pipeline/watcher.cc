#include "cli/pipeline/watcher.h"

#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdarg>
#include <cstdio>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

#include "cli/pipeline/webhook_listener.h"
#include "cli/pipeline/webhook_subscription.h"
#include "pipeline/tree_digest.h"
#include "pipeline/trigger/run_coalescer.h"
#include "pipeline/trigger/trigger_evaluator.h"
#include "pipeline/trigger/webhook_match.h"

namespace ferry::cli {
namespace {

using pipeline::RunRequest;
using pipeline::TriggerEvent;

constexpr auto kTick = std::chrono::milliseconds(200);

// "ferry pipeline watch: ..." on stderr, a line at a time.
void Say(const char* format, ...) __attribute__((format(printf, 1, 2)));
void Say(const char* format, ...) {
  char line[2048];
  va_list args;
  va_start(args, format);
  std::vsnprintf(line, sizeof(line), format, args);
  va_end(args);
  std::fprintf(stderr, "ferry pipeline watch: %s\n", line);
  std::fflush(stderr);
}

// Names each run as it starts: "run <id> started (<trigger>)".
class RunStartLine : public pipeline::RunObserver {
 public:
  void OnRunStarted(pipeline::PipelineRun& run) override {
    Say("run %s started (%s)", run.id.c_str(), run.trigger.c_str());
  }
  void OnStepChanged(pipeline::PipelineRun&, pipeline::StepRun&) override {}
  void OnRunFinished(pipeline::PipelineRun&) override {}
};

struct RunOutcome {
  absl::StatusOr<pipeline::PipelineRun> run;
};

class Watcher {
 public:
  Watcher(const WatchOptions& options, pipeline::PipelineSpec spec)
      : options_(options),
        spec_(std::move(spec)),
        clock_(options.clock != nullptr ? *options.clock : SystemClock()),
        coalescer_(spec_.cooldown_seconds) {}

  ~Watcher() {
    if (run_thread_.joinable()) {
      cancel_run_.store(true);
      run_thread_.join();
    }
    subscription_.reset();  // deletes the webhook first: no deliveries to a closed port
    listener_.reset();
  }

  absl::Status Start();
  int Loop();

 private:
  int64_t Now() { return clock_.NowMillis() / 1000; }
  void WarnIfSelfTriggering(const pipeline::TriggerSpec& t);
  absl::Status StartWebhooks();
  absl::StatusOr<bool> OnDelivery(const std::string& body);
  void Fire(const TriggerEvent& event);
  void StartRun(const RunRequest& request);
  // The run ended: its line; returns its exit code.
  int Finished(RunOutcome outcome);

  const WatchOptions& options_;
  pipeline::PipelineSpec spec_;
  Clock& clock_;
  pipeline::RunCoalescer coalescer_;
  std::optional<pipeline::TriggerEvaluator> evaluator_;
  std::unique_ptr<WebhookListener> listener_;
  std::unique_ptr<WebhookSubscription> subscription_;
  RunStartLine start_line_;
  std::atomic<bool> cancel_run_{false};
  std::thread run_thread_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<TriggerEvent> webhook_events_;  // guarded by mu_
  std::optional<RunOutcome> outcome_;        // guarded by mu_
};

absl::Status Watcher::Start() {
  if (spec_.triggers.empty()) {
    return absl::FailedPreconditionError(
        spec_.file + ": the pipeline has no triggers (add a triggers: list, docs/PIPELINES.md)");
  }
  ASSIGN_OR_RETURN(evaluator_, pipeline::TriggerEvaluator::Create(spec_.triggers, spec_.base_dir,
                                                                  pipeline::PathDigest));
  Say("watching %zu trigger%s of pipeline %s (%s)%s", spec_.triggers.size(),
      spec_.triggers.size() == 1 ? "" : "s", spec_.name.c_str(), spec_.file.c_str(),
      spec_.cooldown_seconds > 0
          ? (", cooldown " + std::to_string(spec_.cooldown_seconds) + "s").c_str()
          : "");
  for (const pipeline::TriggerSpec& t : spec_.triggers) {
    Say("  %s", pipeline::DescribeTrigger(t).c_str());
    WarnIfSelfTriggering(t);
  }
  RETURN_IF_ERROR(StartWebhooks());
  for (const std::string& w : evaluator_->Start(Now()).warnings) Say("warning: %s", w.c_str());
  Say("ready");
  return absl::OkStatus();
}

// A register step of the model a model_version.created trigger watches makes every run start
// the next one (only the cooldown spaces them).
void Watcher::WarnIfSelfTriggering(const pipeline::TriggerSpec& t) {
  if (t.kind != pipeline::TriggerKind::kRegistryEvent || t.event != "model_version.created") return;
  for (const pipeline::StepSpec& step : spec_.steps) {
    auto model = step.params.find("model");
    if (step.kind != pipeline::StepKind::kRegister || model == step.params.end()) continue;
    if (t.model.empty() || t.model == model->second) {
      Say("warning: step %s registers %s, which fires this trigger again after each run",
          step.name.c_str(), model->second.c_str());
    }
  }
}

absl::Status Watcher::StartWebhooks() {
  const std::vector<std::string> events = pipeline::WebhookEventsFor(spec_.triggers);
  if (events.empty()) return absl::OkStatus();
  const std::string tracking = ResolveTrackingUri(options_.run.tracking_uri, spec_);
  ASSIGN_OR_RETURN(std::string secret, WebhookSubscription::NewSecret());
  ASSIGN_OR_RETURN(listener_,
                   WebhookListener::Start(options_.listen, secret,
                                          [this](const std::string& b) { return OnDelivery(b); }));
  std::string url = options_.callback_url.empty() ? listener_->url() : options_.callback_url;
  std::string list;
  for (const std::string& e : events) list += (list.empty() ? "" : ", ") + e;
  ASSIGN_OR_RETURN(subscription_,
                   WebhookSubscription::Create(tracking, url, events, secret,
                                               "ferry pipeline watch " + spec_.name + " (pid " +
                                                   std::to_string(::getpid()) + ")"));
  Say("listening for webhooks on %s (webhook %s on %s: %s)", url.c_str(),
      subscription_->id().c_str(), tracking.c_str(), list.c_str());
  return absl::OkStatus();
}

absl::StatusOr<bool> Watcher::OnDelivery(const std::string& body) {
  ASSIGN_OR_RETURN(std::optional<TriggerEvent> event,
                   pipeline::MatchWebhook(spec_.triggers, body, Now()));
  if (!event) return false;
  std::lock_guard<std::mutex> lock(mu_);
  webhook_events_.push_back(*std::move(event));
  cv_.notify_all();
  return true;
}

void Watcher::Fire(const TriggerEvent& event) {
  Say("trigger fired: %s", event.detail.c_str());
  std::optional<RunRequest> start = coalescer_.Fire(event);
  if (start) {
    StartRun(*start);
  } else if (coalescer_.active()) {
    Say("  a run is active: this trigger waits for the next run");
  } else {
    Say("  cooldown: the run waits until %llds after the last start",
        static_cast<long long>(spec_.cooldown_seconds));
  }
}

void Watcher::StartRun(const RunRequest& request) {
  PipelineRunOptions run = options_.run;
  run.trigger = request.first.detail;
  for (const TriggerEvent& e : request.folded) run.folded_triggers.push_back(e.detail);
  run.cancel = &cancel_run_;
  run.observer = &start_line_;
  if (!request.folded.empty()) {
    Say("starting a run for %zu triggers (the first: %s)", request.events(),
        request.first.detail.c_str());
  }
  cancel_run_.store(false);
  run_thread_ = std::thread([this, run] {
    RunOutcome outcome{RunPipelineOnce(run)};
    std::lock_guard<std::mutex> lock(mu_);
    outcome_ = std::move(outcome);
    cv_.notify_all();
  });
}

int Watcher::Finished(RunOutcome outcome) {
  run_thread_.join();
  if (!outcome.run.ok()) {
    Say("the run could not start: %s", std::string(outcome.run.status().message()).c_str());
    return kExitFailure;
  }
  const pipeline::PipelineRun& run = *outcome.run;
  Say("run %s %s", run.id.c_str(), pipeline::RunStateName(run.state));
  return run.state == pipeline::RunState::kSucceeded ? kExitOk : kExitFailure;
}

int Watcher::Loop() {
  while (true) {
    std::deque<TriggerEvent> arrived;
    std::optional<RunOutcome> outcome;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_for(lock, kTick, [&] {
        return !webhook_events_.empty() || outcome_.has_value() ||
               (options_.stop != nullptr && options_.stop->load());
      });
      arrived.swap(webhook_events_);
      outcome.swap(outcome_);
    }
    if (options_.stop != nullptr && options_.stop->load()) {
      Say("stopping%s", run_thread_.joinable() ? ": cancelling the active run" : "");
      return options_.once ? kExitFailure : kExitOk;
    }
    const int64_t now = Now();
    if (outcome) {
      const int code = Finished(*std::move(outcome));
      if (options_.once) {
        if (coalescer_.has_pending()) Say("--once: the pending run is dropped");
        return code;
      }
      if (std::optional<RunRequest> next = coalescer_.Finished(now)) StartRun(*next);
    }
    pipeline::TriggerEvaluator::Result due = evaluator_->Poll(now);
    for (const std::string& w : due.warnings) Say("warning: %s", w.c_str());
    for (const TriggerEvent& e : due.fired) Fire(e);
    for (const TriggerEvent& e : arrived) Fire(e);
    if (std::optional<RunRequest> next = coalescer_.Poll(now)) StartRun(*next);
  }
}

}  // namespace

int WatchPipeline(const WatchOptions& options) {
  absl::StatusOr<pipeline::PipelineSpec> spec = pipeline::LoadPipelineSpec(options.run.file);
  if (!spec.ok()) return Fail("ferry pipeline watch", spec.status());
  Watcher watcher(options, *std::move(spec));
  if (absl::Status s = watcher.Start(); !s.ok()) return Fail("ferry pipeline watch", s);
  return watcher.Loop();
}

}  // namespace ferry::cli
