// `ferry pipeline watch -f pipeline.yaml [--once] [--listen HOST:PORT] [run flags]`.

#include <signal.h>

#include <atomic>
#include <cstdlib>

#include "cli/pipeline/pipeline_commands.h"
#include "cli/pipeline/watcher.h"
#include "common/fs.h"
#include "common/strings.h"

namespace ferry::cli {
namespace {

constexpr char kCommand[] = "ferry pipeline watch";
constexpr char kClockFileEnv[] = "FERRY_WATCH_CLOCK_FILE";

std::atomic<bool> g_stop{false};

void OnSignal(int) { g_stop.store(true); }

// For tests only (FERRY_WATCH_CLOCK_FILE): the triggers' clock is the Unix time in seconds
// written in a file, read at each look, so a test moves time forward by writing it.
class FileClock : public Clock {
 public:
  explicit FileClock(std::string path) : path_(std::move(path)) {}
  int64_t NowMillis() override {
    absl::StatusOr<std::string> text = ReadFile(path_);
    while (text.ok() && !text->empty() && std::isspace(static_cast<unsigned char>(text->back()))) {
      text->pop_back();
    }
    std::optional<int64_t> s = text.ok() ? ParseInt64(*text) : std::nullopt;
    if (s) last_.store(*s * 1000);
    return last_.load();
  }
  int64_t MonotonicNanos() override { return SystemClock().MonotonicNanos(); }

 private:
  std::string path_;
  std::atomic<int64_t> last_{0};  // read from the watcher's and the listener's threads
};

constexpr char kHelp[] =
    "Watches the pipeline's triggers (its `triggers:` list, docs/PIPELINES.md \"Triggers\")\n"
    "and runs the pipeline in this process each time one fires, exactly as `ferry pipeline\n"
    "run` would, recording what triggered the run (run.json, `ferry pipeline status|list`,\n"
    "and the MLflow tag ferry.pipeline.trigger):\n"
    "  schedule  a cron schedule in UTC, evaluated on this process's clock\n"
    "  data      a file or directory whose digest changed, checked every `poll`\n"
    "  alert     a monitoring_alert.firing webhook for the deployment from the tracking server\n"
    "  registry  a registry webhook event (model_version.created, ...) for the model\n"
    "For alert and registry triggers it listens on --listen and creates a webhook on the\n"
    "pipeline's tracking server with a random secret; deliveries without a valid signature\n"
    "are answered 401. The server must be allowed to reach the listener (for 127.0.0.1:\n"
    "`ferry server --webhook-allow-hosts 127.0.0.1`). The webhook is deleted on exit.\n"
    "One run at a time: triggers that fire while a run is active start one more run after\n"
    "it, which records them all; `cooldown:` spaces triggered runs. Progress on stderr,\n"
    "each run's step lines and summary on stdout. SIGINT/SIGTERM cancel the active run and\n"
    "end the watch (exit 0). With --once it ends after the first triggered run: exit 0 when\n"
    "that run succeeded, 1 otherwise.\n"
    "Tests only: FERRY_WATCH_CLOCK_FILE=FILE makes the triggers' clock the Unix seconds\n"
    "written in FILE (re-read every 200 ms), so a schedule can be driven without waiting.";

}  // namespace

int PipelineWatchCommand(const std::vector<std::string>& args) {
  FlagSet flags("ferry pipeline watch [-f pipeline.yaml] [--once] [--listen HOST:PORT] [flags]",
                kHelp);
  DeclarePipelineRunFlags(flags);
  flags.Bool("once", "end after the first triggered run (exit 0 when it succeeded)");
  flags.String("listen", "127.0.0.1:0",
               "where webhooks for alert and registry triggers are received (port 0: any)");
  flags.String("callback-url", "",
               "the URL the tracking server posts webhooks to (default: http://LISTEN/webhook)");
  if (auto exit = flags.ParseCommand(kCommand, args, 0)) return *exit;
  absl::StatusOr<PipelineRunOptions> run = PipelineRunOptionsFromFlags(flags);
  if (!run.ok()) return flags.UsageError(kCommand, std::string(run.status().message()));
  WatchOptions options;
  options.run = *std::move(run);
  options.once = flags.GetBool("once");
  options.listen = flags.Get("listen");
  options.callback_url = flags.Get("callback-url");
  std::unique_ptr<FileClock> file_clock;
  if (const char* path = std::getenv(kClockFileEnv); path != nullptr && *path != '\0') {
    file_clock = std::make_unique<FileClock>(path);
    options.clock = file_clock.get();
  }
  g_stop.store(false);
  options.stop = &g_stop;
  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  struct sigaction old_int {
  }, old_term{};
  ::sigaction(SIGINT, &sa, &old_int);
  ::sigaction(SIGTERM, &sa, &old_term);
  const int code = WatchPipeline(options);
  ::sigaction(SIGINT, &old_int, nullptr);
  ::sigaction(SIGTERM, &old_term, nullptr);
  return code;
}

}  // namespace ferry::cli
