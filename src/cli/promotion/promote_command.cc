// `ferry promote`: canary promotion driven by registry aliases. The server serves
// models:/NAME@champion and follows models:/NAME@challenger as a canary; this command sets the
// canary's share, points the challenger alias at the candidate, watches both arms' figures
// (GET /api/ferry/v1/deployments/NAME) every second and acts on the canary judge: promote
// (move the champion alias, delete the challenger alias: the server hot-swaps) or roll back
// (delete the challenger alias), says why, and records it as the version tag
// ferry.promotion. Exit 0: promoted; 1: rolled back or failed; 2: usage.

#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include "cli/cli.h"
#include "cli/flags.h"
#include "cli/mlflow/model_registry_client.h"
#include "cli/mlflow/server_client.h"
#include "cli/promotion/deployment_figures.h"
#include "common/fs.h"
#include "common/json.h"
#include "common/json_writer.h"
#include "common/strings.h"

namespace ferry::cli {
namespace {

constexpr char kCommand[] = "ferry promote";
using Clock = std::chrono::steady_clock;

struct Options {
  std::string model, version, deployment, alias, canary_alias, output;
  pipeline::CanaryPolicy policy;
  int64_t load_timeout_s = 120;
  int poll_ms = 1000;
};

struct Outcome {
  bool promoted = false;
  std::string reason;
  std::string champion_before;
  double seconds = 0;
  pipeline::ArmStats champion, challenger;
};

class Promotion {
 public:
  Promotion(Options o, ModelRegistryClient registry, HttpClient serving)
      : o_(std::move(o)), registry_(std::move(registry)), serving_(std::move(serving)) {}

  absl::StatusOr<Outcome> Run();

 private:
  absl::StatusOr<DeploymentFigures> Figures() const;
  absl::Status SetPercent() const;
  // Polls until `ready` holds for the deployment, for at most load_timeout_s.
  // Polls until `ready`; with `interruptible`, SIGINT/SIGTERM ends the wait (kCancelled).
  absl::StatusOr<DeploymentFigures> WaitFor(
      const std::function<bool(const DeploymentFigures&)>& ready, const std::string& what,
      bool interruptible = false) const;
  absl::StatusOr<Outcome> Watch(Outcome out);
  absl::Status Act(Outcome& out);
  absl::Status Tag(const Outcome& out);  // the ferry.promotion and _reason version tags

  Options o_;
  ModelRegistryClient registry_;
  HttpClient serving_;
};

// SIGINT/SIGTERM while a canary runs: roll it back rather than leave @challenger serving.
std::atomic<bool> g_interrupted{false};
void OnStopSignal(int) { g_interrupted.store(true); }

// Failed polls in a row after which the canary is rolled back (a restart or one timeout is
// not a verdict, a server gone for this long is).
constexpr int kMaxFailedPolls = 5;

std::string DeploymentPath(const std::string& name) {
  return StrCat("/api/ferry/v1/deployments/", UrlEncode(name));
}

absl::StatusOr<DeploymentFigures> Promotion::Figures() const {
  ASSIGN_OR_RETURN(ClientResponse r, serving_.Send("GET", DeploymentPath(o_.deployment)));
  if (r.status != 200) return ServerError(r);
  return ParseDeploymentFigures(r.body);
}

absl::Status Promotion::SetPercent() const {
  const std::string body = StrCat("{\"percent\":", o_.policy.percent, "}");
  ASSIGN_OR_RETURN(ClientResponse r,
                   serving_.Send("POST", StrCat(DeploymentPath(o_.deployment), "/canary"), body));
  if (r.status == 200) return absl::OkStatus();
  absl::Status s = ServerError(r);
  return absl::Status(
      s.code(), StrCat("setting the canary share of deployment \"", o_.deployment,
                       "\": ", StatusMessage(s), " (is the server started with --deploy models:/",
                       o_.model, "@", o_.alias, " and --canary-alias ", o_.canary_alias, "?)"));
}

absl::StatusOr<DeploymentFigures> Promotion::WaitFor(
    const std::function<bool(const DeploymentFigures&)>& ready, const std::string& what,
    bool interruptible) const {
  const auto deadline = Clock::now() + std::chrono::seconds(o_.load_timeout_s);
  while (true) {
    absl::StatusOr<DeploymentFigures> f = Figures();
    if (f.ok() && ready(*f)) return f;
    if (interruptible && g_interrupted.load()) {
      return absl::CancelledError(StrCat("interrupted while ", what));
    }
    if (Clock::now() >= deadline) {
      return absl::DeadlineExceededError(
          StrCat(what, " did not happen within ", o_.load_timeout_s, " s",
                 f.ok() ? "" : StrCat(" (", StatusMessage(f.status()), ")")));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(o_.poll_ms / 4 + 1));
  }
}

// "v2 1200 req 3 err p99 0.412 ms quality 0.93": an arm's figures in the canary window
// (quality when the server has it from labels).
std::string Line(const std::string& version, const pipeline::ArmStats& a) {
  char p99[32];
  std::snprintf(p99, sizeof(p99), "%.3f", a.p99_ms);
  return StrCat("v", version, " ", a.requests, " req ", a.errors, " err p99 ", p99, " ms",
                a.quality ? StrCat(" quality ", *a.quality) : std::string(),
                a.alert_firing ? " ALERT" : "");
}

absl::StatusOr<Outcome> Promotion::Watch(Outcome out) {
  const std::string v = o_.version;
  auto loaded = WaitFor(
      [&](const DeploymentFigures& f) {
        return f.primary && f.challenger && f.challenger->version == v &&
               f.challenger->state == "READY";
      },
      StrCat("loading version ", v, " as the challenger"), /*interruptible=*/true);
  if (!loaded.ok()) {
    out.reason = std::string(loaded.status().message());
    return out;
  }
  const ArmFigures start = *loaded->primary;
  const auto t0 = Clock::now();
  std::printf("Canary: version %s takes %d%% of requests for %lld s (champion version %s)\n",
              v.c_str(), o_.policy.percent, static_cast<long long>(o_.policy.window_seconds),
              start.version.c_str());
  int failed_polls = 0;
  while (true) {
    std::this_thread::sleep_for(std::chrono::milliseconds(o_.poll_ms));
    const double elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
    if (g_interrupted.load()) {
      out.reason = "interrupted (SIGINT or SIGTERM) while watching the canary";
      return out;
    }
    absl::StatusOr<DeploymentFigures> f = Figures();
    if (!f.ok()) {
      if (++failed_polls < kMaxFailedPolls) continue;
      out.reason = StrCat("lost contact with the server for ", kMaxFailedPolls,
                          " polls in a row: ", StatusMessage(f.status()));
      return out;
    }
    failed_polls = 0;
    if (!f->primary || !f->challenger || f->challenger->version != v) {
      out.reason = StrCat("the challenger arm is no longer version ", v,
                          " (the alias was moved or deleted by someone else)");
      return out;
    }
    out.champion = ChampionStats(*f->primary, start);
    out.challenger = ChallengerStats(*f->challenger);
    pipeline::CanaryDecision d = pipeline::JudgeCanary(o_.policy, out.champion, out.challenger,
                                                       static_cast<int64_t>(elapsed));
    std::printf("  %5.1fs  champion %s | challenger %s | %s\n", elapsed,
                Line(f->primary->version, out.champion).c_str(),
                Line(f->challenger->version, out.challenger).c_str(),
                pipeline::CanaryVerdictName(d.verdict));
    std::fflush(stdout);
    if (d.verdict == pipeline::CanaryVerdict::kWatch) continue;
    out.promoted = d.verdict == pipeline::CanaryVerdict::kPromote;
    out.reason = d.reason;
    return out;
  }
}

absl::Status Promotion::Act(Outcome& out) {
  const std::string v = o_.version;
  if (out.promoted) {
    RETURN_IF_ERROR(registry_.SetAlias(o_.model, o_.alias, v));
    // The decision is made: record it before the clean-up, which may fail on its own.
    RETURN_IF_ERROR(Tag(out));
    absl::Status cleared = registry_.DeleteAlias(o_.model, o_.canary_alias);
    if (!cleared.ok() && !absl::IsNotFound(cleared)) return cleared;
    auto swapped = WaitFor(
        [&](const DeploymentFigures& f) {
          return f.primary && f.primary->version == v && !f.challenger;
        },
        StrCat("serving version ", v, " as the primary"));
    return swapped.status();
  } else {
    absl::Status s = registry_.DeleteAlias(o_.model, o_.canary_alias);
    if (!s.ok() && !absl::IsNotFound(s)) return s;
    auto cleared = WaitFor([&](const DeploymentFigures& f) { return !f.challenger; },
                           "retiring the challenger");
    RETURN_IF_ERROR(cleared.status());
  }
  return Tag(out);
}

absl::Status Promotion::Tag(const Outcome& out) {
  RETURN_IF_ERROR(registry_.SetVersionTag(o_.model, o_.version, "ferry.promotion",
                                          out.promoted ? "promoted" : "rolled_back"));
  return registry_.SetVersionTag(o_.model, o_.version, "ferry.promotion_reason", out.reason);
}

absl::StatusOr<Outcome> Promotion::Run() {
  const auto t0 = Clock::now();
  RETURN_IF_ERROR(registry_.GetVersion(o_.model, o_.version).status());
  Outcome out;
  absl::StatusOr<JsonValue> champion = registry_.GetVersionByAlias(o_.model, o_.alias);
  if (!champion.ok() && !absl::IsNotFound(champion.status())) return champion.status();
  if (champion.ok()) out.champion_before = FieldText(*champion, "version");
  if (out.champion_before == o_.version) {
    out.promoted = true;
    out.reason = StrCat("version ", o_.version, " is already @", o_.alias);
    return out;
  }
  if (!champion.ok()) {
    out.promoted = true;
    out.reason = StrCat("no @", o_.alias, " yet: version ", o_.version, " becomes the first");
  } else {
    RETURN_IF_ERROR(SetPercent());
    RETURN_IF_ERROR(registry_.SetAlias(o_.model, o_.canary_alias, o_.version));
    ASSIGN_OR_RETURN(out, Watch(std::move(out)));
  }
  if (absl::Status acted = Act(out); !acted.ok()) {
    // Never leave a canary serving unwatched: take @challenger away if we still can.
    if (!out.promoted) (void)registry_.DeleteAlias(o_.model, o_.canary_alias);
    return acted;
  }
  out.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return out;
}

std::string OutcomeJson(const Options& o, const Outcome& out) {
  std::string json;
  JsonWriter w(&json);
  w.BeginObject().Field("model", o.model).Field("version", o.version);
  w.Field("verdict", out.promoted ? "promoted" : "rolled_back").Field("reason", out.reason);
  w.Field("champion_before", out.champion_before).FieldDouble("seconds", out.seconds);
  for (const auto& [key, arm] :
       {std::pair{"champion", &out.champion}, {"challenger", &out.challenger}}) {
    w.Key(key).BeginObject().Field("requests", arm->requests).Field("errors", arm->errors);
    w.FieldDouble("p99_ms", arm->p99_ms).EndObject();
  }
  w.EndObject();
  return json + "\n";
}

std::string DefaultServer() {
  for (const char* var : {"FERRY_TRACKING_URI", "MLFLOW_TRACKING_URI"}) {
    if (const char* v = std::getenv(var); v && *v) return v;
  }
  return "http://127.0.0.1:5000";
}

void DeclareFlags(FlagSet& f) {
  f.String("server", DefaultServer(), "the Ferry server (registry and serving)");
  f.String("serving", "", "where the deployment is served, if not --server (a `ferry serve`)");
  f.String("model", "", "registered model name (required)");
  f.String("version", "", "the candidate version (required unless --version-from)");
  f.String("version-from", "",
           "read the model and version from this JSON file (what `ferry models register "
           "--output` writes)");
  f.String("deployment", "", "the deployment's name (default: the model name)");
  f.String("alias", "champion", "the alias the server serves as primary");
  f.String("canary-alias", "challenger", "the alias the server follows as the canary");
  f.String("percent", "10", "the canary's share of requests, 1-100");
  f.String("window", "60", "seconds to watch before promoting");
  f.String("min-requests", "100", "challenger requests needed for a verdict");
  f.String("max-error-rate-increase", "0.01", "roll back above champion's error rate + this");
  f.String("max-latency-ratio", "1.5", "roll back above this x the champion's p99");
  f.String("latency-slack-ms", "1", "p99 differences below this never count");
  f.String("max-quality-drop", "",
           "roll back when the challenger's quality is lower by more (when the server reports "
           "per-arm quality)");
  f.String("load-timeout", "120", "seconds to wait for the server to load or swap a version");
  f.String("output", "", "write the verdict, reason and figures as JSON here");
}

// --version-from FILE: {"model": ..., "version": ...}; the flags given win.
bool ReadVersionFile(const std::string& path, Options* o, std::string* error) {
  absl::StatusOr<std::string> text = ReadFile(path);
  absl::StatusOr<JsonValue> doc =
      text.ok() ? ParseJson(*text) : absl::StatusOr<JsonValue>(text.status());
  if (!doc.ok())
    return (*error = StrCat("--version-from: ", std::string(doc.status().message())), false);
  const JsonValue* version = doc->Find("version");
  const JsonValue* model = doc->Find("model");
  if (version == nullptr || !version->is_string() || version->as_string().empty()) {
    return (*error = StrCat("--version-from ", path, ": expected a \"version\" string"), false);
  }
  if (o->version.empty()) o->version = version->as_string();
  if (o->model.empty() && model != nullptr && model->is_string()) o->model = model->as_string();
  return true;
}

std::optional<Options> ParseOptions(const FlagSet& f, std::string* error) {
  Options o;
  o.model = f.Get("model");
  o.version = f.Get("version");
  if (!f.Get("version-from").empty() && !ReadVersionFile(f.Get("version-from"), &o, error)) {
    return std::nullopt;
  }
  o.deployment = f.Get("deployment").empty() ? o.model : f.Get("deployment");
  o.alias = f.Get("alias");
  o.canary_alias = f.Get("canary-alias");
  o.output = f.Get("output");
  if (o.model.empty() || o.version.empty())
    return (*error = "--model and --version are required", std::nullopt);
  if (o.alias.empty() || o.canary_alias.empty() || o.alias == o.canary_alias) {
    return (*error = "--alias and --canary-alias must be two different aliases", std::nullopt);
  }
  auto integer = [&](const char* name, int64_t* out) {
    auto v = ParseInt64(f.Get(name));
    if (!v)
      *error = StrCat("--", name, " must be an integer, got '", f.Get(name), "'");
    else
      *out = *v;
    return v.has_value();
  };
  auto number = [&](const char* name, double* out) {
    auto v = ParseDouble(f.Get(name));
    if (!v)
      *error = StrCat("--", name, " must be a number, got '", f.Get(name), "'");
    else
      *out = *v;
    return v.has_value();
  };
  int64_t percent = 0;
  if (!integer("percent", &percent) || !integer("window", &o.policy.window_seconds) ||
      !integer("min-requests", &o.policy.min_requests) ||
      !integer("load-timeout", &o.load_timeout_s) ||
      !number("max-error-rate-increase", &o.policy.max_error_rate_increase) ||
      !number("max-latency-ratio", &o.policy.max_latency_ratio) ||
      !number("latency-slack-ms", &o.policy.latency_slack_ms)) {
    return std::nullopt;
  }
  o.policy.percent = static_cast<int>(std::clamp<int64_t>(percent, -1, 101));
  if (!f.Get("max-quality-drop").empty()) {
    double drop = 0;
    if (!number("max-quality-drop", &drop)) return std::nullopt;
    o.policy.max_quality_drop = drop;
  }
  if (std::string bad = pipeline::CheckCanaryPolicy(o.policy); !bad.empty()) {
    return (*error = bad, std::nullopt);
  }
  return o;
}

}  // namespace

int PromoteCommand(const std::vector<std::string>& args) {
  FlagSet flags(
      "ferry promote --model NAME --version V [flags]",
      "Canary promotion by registry aliases. The server serves models:/NAME@champion and\n"
      "follows models:/NAME@challenger as a canary (ferry server --deploy ... --canary-alias).\n"
      "Sets the canary's share, points @challenger at V, watches error rate, p99 latency and\n"
      "(with --max-quality-drop, when labels reach the server's live monitoring) quality\n"
      "of both arms every second for --window seconds, then promotes (@champion moves to V,\n"
      "@challenger is deleted: the server hot-swaps) or rolls back (@challenger is deleted) by\n"
      "itself, as soon as the challenger is clearly worse, and says why. The verdict is\n"
      "recorded as the version tags ferry.promotion and ferry.promotion_reason. Without a\n"
      "@champion, V becomes the champion at once (there is nothing to compare it with).\n"
      "Exit status: 0 promoted, 1 rolled back (or failed), 2 usage.");
  DeclareFlags(flags);
  if (auto exit = flags.ParseCommand(kCommand, args, 0)) return *exit;
  std::string error;
  std::optional<Options> o = ParseOptions(flags, &error);
  if (!o) return flags.UsageError(kCommand, error);
  auto registry_http = ServerClient(flags.Get("server"));
  auto serving_http =
      ServerClient(flags.Get("serving").empty() ? flags.Get("server") : flags.Get("serving"));
  if (!registry_http.ok() || !serving_http.ok()) {
    return flags.UsageError(
        kCommand,
        std::string(
            (registry_http.ok() ? serving_http.status() : registry_http.status()).message()));
  }
  Promotion promotion(*o, ModelRegistryClient(*registry_http), *serving_http);
  struct sigaction stop = {}, old_int = {}, old_term = {};
  stop.sa_handler = OnStopSignal;
  sigemptyset(&stop.sa_mask);
  sigaction(SIGINT, &stop, &old_int);
  sigaction(SIGTERM, &stop, &old_term);
  absl::StatusOr<Outcome> out = promotion.Run();
  sigaction(SIGINT, &old_int, nullptr);
  sigaction(SIGTERM, &old_term, nullptr);
  if (!out.ok()) {
    std::fprintf(stderr, "%s: %s\n", kCommand, std::string(out.status().message()).c_str());
    return 1;
  }
  std::printf("%s version %s: %s\n", out->promoted ? "PROMOTED" : "ROLLED BACK", o->version.c_str(),
              out->reason.c_str());
  if (!o->output.empty()) {
    if (absl::Status s = WriteFileAtomic(o->output, OutcomeJson(*o, *out)); !s.ok()) {
      std::fprintf(stderr, "%s: %s\n", kCommand, std::string(s.message()).c_str());
      return 1;
    }
  }
  std::fflush(stdout);
  return out->promoted ? 0 : 1;
}

}  // namespace ferry::cli
