// `ferry gate`: the evaluation gate of the closed loop (TFX Evaluator semantics) as a command
// line, so pipeline `gate` steps and CI scripts run it alike. Exit 0: blessed; 1: not blessed
// (or the figures could not be read); 2: usage.

#include <cstdio>
#include <optional>

#include "cli/cli.h"
#include "cli/flags.h"
#include "cli/mlflow/model_registry_client.h"
#include "cli/mlflow/server_client.h"
#include "cli/mlflow/tracking_client.h"
#include "common/fs.h"
#include "common/strings.h"
#include "pipeline/gate/gate_json.h"

namespace ferry::cli {
namespace {

constexpr char kCommand[] = "ferry gate";

std::string DefaultServer() {
  for (const char* var : {"FERRY_TRACKING_URI", "MLFLOW_TRACKING_URI"}) {
    if (const char* v = std::getenv(var); v && *v) return v;
  }
  return "http://127.0.0.1:5000";
}

struct Subject {
  pipeline::BlessingSubject who;
  pipeline::Metrics metrics;
};

absl::StatusOr<pipeline::Metrics> MetricsFile(const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  absl::StatusOr<pipeline::Metrics> m = pipeline::ParseMetrics(text);
  if (!m.ok()) return absl::InvalidArgumentError(StrCat(path, ": ", StatusMessage(m.status())));
  return m;
}

absl::StatusOr<pipeline::Metrics> RunMetrics(TrackingClient& tracking, const std::string& run_id) {
  if (run_id.empty()) return absl::FailedPreconditionError("no run behind it to read metrics from");
  ASSIGN_OR_RETURN(RunDetails run, tracking.GetRun(run_id));
  return pipeline::Metrics(run.metrics.begin(), run.metrics.end());
}

// The version object's run, and that run's metrics.
absl::StatusOr<Subject> VersionSubject(ModelRegistryClient& registry, TrackingClient& tracking,
                                       const std::string& model, const JsonValue& version) {
  Subject s{{model, FieldText(version, "version"), FieldText(version, "run_id")}, {}};
  absl::StatusOr<pipeline::Metrics> m = RunMetrics(tracking, s.who.run_id);
  if (!m.ok()) {
    return absl::Status(m.status().code(), StrCat("version ", s.who.version, " of ", model, ": ",
                                                  StatusMessage(m.status())));
  }
  s.metrics = *std::move(m);
  return s;
}

struct Clients {
  ModelRegistryClient registry;
  TrackingClient tracking;
};

absl::StatusOr<Clients> Connect(const std::string& server) {
  ASSIGN_OR_RETURN(HttpClient http, ServerClient(server));
  return Clients{ModelRegistryClient(http), TrackingClient(http)};
}

absl::StatusOr<Subject> Candidate(const FlagSet& flags, std::optional<Clients>& c) {
  const std::string model = flags.Get("model");
  if (flags.IsSet("candidate-metrics")) {
    ASSIGN_OR_RETURN(pipeline::Metrics m, MetricsFile(flags.Get("candidate-metrics")));
    return Subject{{model, "", ""}, std::move(m)};
  }
  if (flags.IsSet("candidate-run")) {
    ASSIGN_OR_RETURN(pipeline::Metrics m, RunMetrics(c->tracking, flags.Get("candidate-run")));
    return Subject{{model, "", flags.Get("candidate-run")}, std::move(m)};
  }
  ASSIGN_OR_RETURN(JsonValue v, c->registry.GetVersion(model, flags.Get("candidate")));
  return VersionSubject(c->registry, c->tracking, model, v);
}

absl::StatusOr<std::optional<Subject>> Baseline(const FlagSet& flags, std::optional<Clients>& c) {
  if (flags.IsSet("baseline-metrics")) {
    ASSIGN_OR_RETURN(pipeline::Metrics m, MetricsFile(flags.Get("baseline-metrics")));
    return std::optional<Subject>(Subject{{flags.Get("model"), "", ""}, std::move(m)});
  }
  if (!c || flags.Get("baseline-alias").empty()) return std::optional<Subject>();
  const std::string model = flags.Get("model");
  absl::StatusOr<JsonValue> v = c->registry.GetVersionByAlias(model, flags.Get("baseline-alias"));
  if (absl::IsNotFound(v.status())) return std::optional<Subject>();  // the first model
  if (!v.ok()) return v.status();
  ASSIGN_OR_RETURN(Subject s, VersionSubject(c->registry, c->tracking, model, *v));
  return std::optional<Subject>(std::move(s));
}

int Fail(const absl::Status& s) {
  std::fprintf(stderr, "%s: %s\n", kCommand, std::string(s.message()).c_str());
  return 1;
}

void DeclareFlags(FlagSet& flags) {
  flags.String("server", DefaultServer(),
               "Ferry (or MLflow) tracking server (or FERRY_TRACKING_URI / MLFLOW_TRACKING_URI)");
  flags.String("model", "", "registered model name (needed unless --candidate-metrics)");
  flags.String("candidate", "", "the candidate model version: its run's metrics are judged");
  flags.String("candidate-run", "", "a run id: its metrics are judged");
  flags.String("candidate-metrics", "", "a JSON file of metrics ({\"accuracy\": 0.9, ...})");
  flags.String("baseline-alias", "champion",
               "the baseline is the version this alias names, when set (empty: no baseline)");
  flags.String("baseline-metrics", "", "a JSON file of the baseline's metrics instead");
  flags.String("thresholds", "", "the thresholds file (JSON, see docs/PIPELINES.md \"Gates\")");
  flags.String("output", "", "write the blessing (verdict, every check) as JSON here");
  flags.Bool("no-tag", "do not tag the candidate version ferry.gate=passed|failed");
}

}  // namespace

int GateCommand(const std::vector<std::string>& args) {
  FlagSet flags(
      "ferry gate --model NAME (--candidate VERSION | --candidate-run RUN_ID | "
      "--candidate-metrics FILE) --thresholds FILE [flags]",
      "The evaluation gate: judges a candidate model's metrics against absolute bounds and,\n"
      "when the baseline alias names a version, against change thresholds relative to it\n"
      "(TFX Evaluator semantics; change thresholds are skipped without a baseline). Prints\n"
      "every check, writes the blessing with --output and tags the candidate version\n"
      "ferry.gate=passed|failed. Exit status: 0 passed, 1 failed, 2 usage.");
  DeclareFlags(flags);
  if (auto exit = flags.ParseCommand(kCommand, args, 0)) return *exit;
  const int sources =
      flags.IsSet("candidate") + flags.IsSet("candidate-run") + flags.IsSet("candidate-metrics");
  if (sources != 1) {
    return flags.UsageError(kCommand,
                            "give one of --candidate, --candidate-run or --candidate-metrics");
  }
  if (flags.Get("thresholds").empty())
    return flags.UsageError(kCommand, "--thresholds is required");
  const bool needs_model = !flags.IsSet("candidate-metrics");
  if (needs_model && flags.Get("model").empty()) {
    return flags.UsageError(kCommand, "--model is required with --candidate/--candidate-run");
  }
  absl::StatusOr<std::string> text = ReadFile(flags.Get("thresholds"));
  if (!text.ok()) return Fail(text.status());
  auto thresholds = pipeline::ParseThresholds(*text);
  if (!thresholds.ok()) {
    std::fprintf(stderr, "%s: %s: %s\n", kCommand, flags.Get("thresholds").c_str(),
                 std::string(thresholds.status().message()).c_str());
    return 2;
  }
  std::optional<Clients> clients;
  if (!flags.Get("model").empty()) {
    auto c = Connect(flags.Get("server"));
    if (!c.ok()) return flags.UsageError(kCommand, std::string(c.status().message()));
    clients.emplace(*std::move(c));
  }
  auto candidate = Candidate(flags, clients);
  if (!candidate.ok()) return Fail(candidate.status());
  auto baseline = Baseline(flags, clients);
  if (!baseline.ok()) return Fail(baseline.status());

  std::optional<pipeline::Metrics> base_metrics;
  std::optional<pipeline::BlessingSubject> base_who;
  if (*baseline) {
    base_metrics = (*baseline)->metrics;
    base_who = (*baseline)->who;
  }
  pipeline::GateResult result =
      pipeline::EvaluateGate(*thresholds, candidate->metrics, base_metrics);
  const std::string& cv = candidate->who.version;
  std::printf("Gate for %s%s against %s\n",
              candidate->who.model.empty() ? "the candidate" : candidate->who.model.c_str(),
              cv.empty() ? "" : StrCat(" version ", cv).c_str(),
              !base_who                   ? "no baseline (change thresholds skipped)"
              : base_who->version.empty() ? "the baseline metrics"
                                          : StrCat("baseline version ", base_who->version, " (@",
                                                   flags.Get("baseline-alias"), ")")
                                                .c_str());
  for (const pipeline::GateCheck& c : result.checks) {
    std::printf("  %s\n", pipeline::FormatCheck(c).c_str());
  }
  std::printf("%s: %s\n", result.passed ? "PASSED" : "FAILED", result.Summary().c_str());
  if (!flags.Get("output").empty()) {
    const std::string json =
        pipeline::BlessingJson(result, candidate->who, base_who, flags.Get("baseline-alias"));
    if (absl::Status s = WriteFileAtomic(flags.Get("output"), json); !s.ok()) return Fail(s);
  }
  if (clients && !cv.empty() && !flags.GetBool("no-tag")) {
    absl::Status s = clients->registry.SetVersionTag(candidate->who.model, cv, "ferry.gate",
                                                     result.passed ? "passed" : "failed");
    if (!s.ok()) return Fail(s);
  }
  std::fflush(stdout);
  return result.passed ? 0 : 1;
}

}  // namespace ferry::cli
