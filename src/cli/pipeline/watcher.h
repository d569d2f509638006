#pragma once
// `ferry pipeline watch`: evaluates a pipeline's triggers and starts its runs. Schedule and
// data triggers are evaluated on the watcher's clock (pipeline/trigger/trigger_evaluator);
// alert and registry triggers arrive as signed webhooks from the tracking server, on a
// listener the watcher starts and a webhook it creates there (and deletes when it ends).
// Every firing goes through a RunCoalescer (one run active, one pending that folds the rest,
// the pipeline's cooldown); each run is RunPipelineOnce on a thread of its own, with the
// trigger recorded, while the watcher goes on receiving events.

#include <atomic>
#include <string>

#include "cli/pipeline/pipeline_run.h"
#include "common/clock.h"

namespace ferry::cli {

struct WatchOptions {
  PipelineRunOptions run;  // every triggered run (trigger and cancel are set per run)
  bool once = false;       // end after the first triggered run; exit 0 when it succeeded
  std::string listen = "127.0.0.1:0";       // the webhook listener (alert and registry triggers)
  std::string callback_url;                 // the URL the server posts to; empty: the listener's
  Clock* clock = nullptr;                   // the triggers' wall clock; null: the system's
  const std::atomic<bool>* stop = nullptr;  // turns true (SIGINT/SIGTERM): cancel and end
};

// Runs until `stop` (or, with `once`, the first run's end). Progress lines go to stderr.
// Returns the exit code: 0, or with `once` 0 only when the run succeeded; 1 when the watch
// could not start (no triggers, the listener, the webhook).
int WatchPipeline(const WatchOptions& options);

}  // namespace ferry::cli
