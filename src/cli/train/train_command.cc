// `ferry train FAMILY --data FILE ...`: read data, split, train, evaluate, log the run to
// tracking, build the package and register it (seed 002's automated logging and
// Model-as-a-Package in one command).

#include <cstdio>
#include <cstdlib>
#include <map>

#include "cli/cli.h"
#include "cli/flags.h"
#include "cli/progress.h"
#include "cli/train/train_run_recorder.h"
#include "common/strings.h"
#include "runtime/family.h"
#include "training/train_job.h"

namespace ferry::cli {
namespace {

using training::FileStem;
using training::FreshOutputDir;
using training::TrainJob;

constexpr char kUsage[] = "ferry train FAMILY --data FILE [--target COL] [--param K=V]... [flags]";
constexpr char kDescription[] =
    "Trains a model of FAMILY on FILE (CSV with a header, or JSON lines), evaluates it on a\n"
    "held-out split, logs parameters, metrics and the model files to the tracking server as\n"
    "a run, builds a package (OCI layout) and, with --register, registers it.\n"
    "\n"
    "Families: linear, logistic (L2; params l2, max_iter, tol, features), xgboost (params\n"
    "n_estimators, max_depth, eta, subsample, objective, seed, nthread, features),\n"
    "recommender (params session_col, item_col, time_col, window, k, max_neighbours), and\n"
    "external (params command, predictor_family, timeout: runs any command that writes a\n"
    "model a built-in family loads).";

void DeclareFlags(FlagSet& flags) {
  flags.String("data", "", "training data: CSV with a header, or JSON lines (.jsonl)");
  flags.String("target", "", "the label column (not needed by the recommender)");
  flags.Repeated("param", "a family parameter K=V (repeatable)");
  flags.String("test-fraction", "0.2", "share of rows held out for evaluation");
  flags.String("seed", "42", "seed of the split");
  flags.String("experiment", "Default", "tracking experiment to log the run in");
  flags.String("run-name", "", "name of the run (default: FAMILY-<data file name>)");
  flags.String("name", "", "model name in the package (default: --register, else the data name)");
  flags.String("version", "", "package version tag (default: the run id, or latest)");
  flags.String("output", "",
               "package layout directory (default: NAME.oci, or NAME-2.oci, ... if taken)");
  flags.Alias("o", "output");
  flags.String("register", "", "register the package as a new version of this model");
  flags.TrackingUri("tracking server");
  flags.Bool("no-tracking", "do not log a run (and do not register)");
}

int Fail(const absl::Status& s) {
  std::fprintf(stderr, "ferry train: %s\n", std::string(s.message()).c_str());
  return 1;
}

absl::StatusOr<std::map<std::string, std::string>> ParseParams(
    const std::vector<std::string>& items) {
  std::map<std::string, std::string> params;
  for (const std::string& item : items) {
    size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0) {
      return absl::InvalidArgumentError("--param \"" + item + "\": expected K=V");
    }
    params[item.substr(0, eq)] = item.substr(eq + 1);
  }
  return params;
}

// Inside a pipeline step (the scheduler sets FERRY_PIPELINE_*), the run names its pipeline run
// and step and is a child of the pipeline's MLflow run: the lineage of what it trains.
std::vector<RunTag> PipelineTags() {
  auto env = [](const char* name) {
    const char* v = std::getenv(name);
    return std::string(v != nullptr ? v : "");
  };
  std::vector<RunTag> tags;
  if (const std::string run = env("FERRY_PIPELINE_RUN"); !run.empty()) {
    tags.push_back({"ferry.pipeline.run", run});
  }
  if (const std::string step = env("FERRY_PIPELINE_STEP"); !step.empty()) {
    tags.push_back({"ferry.step", step});
  }
  if (const std::string parent = env("FERRY_PIPELINE_MLFLOW_RUN"); !parent.empty()) {
    tags.push_back({"mlflow.parentRunId", parent});
  }
  return tags;
}

absl::StatusOr<TrainJob> JobFromFlags(const FlagSet& flags) {
  TrainJob job;
  job.family = flags.positional()[0];
  job.data_path = flags.Get("data");
  job.target = flags.Get("target");
  ASSIGN_OR_RETURN(job.params, ParseParams(flags.GetAll("param")));
  char* end = nullptr;
  job.test_fraction = std::strtod(flags.Get("test-fraction").c_str(), &end);
  if (*end != '\0' || !(job.test_fraction >= 0 && job.test_fraction < 1)) {
    return absl::InvalidArgumentError("--test-fraction: expected a number in [0, 1)");
  }
  auto seed = ParseInt64(flags.Get("seed"));
  if (!seed) return absl::InvalidArgumentError("--seed: expected an integer");
  job.seed = static_cast<uint64_t>(*seed);
  const std::string stem = FileStem(job.data_path);
  job.model_name = !flags.Get("name").empty()       ? flags.Get("name")
                   : !flags.Get("register").empty() ? flags.Get("register")
                                                    : stem;
  job.run_name = flags.Get("run-name").empty() ? job.family + "-" + stem : flags.Get("run-name");
  job.experiment = flags.Get("experiment");
  job.version = flags.Get("version");
  job.tags = PipelineTags();
  job.output = flags.Get("output").empty() ? FreshOutputDir(job.model_name) : flags.Get("output");
  if (flags.GetBool("no-tracking") && !flags.Get("register").empty()) {
    return absl::InvalidArgumentError("--register needs tracking; drop --no-tracking");
  }
  return job;
}

}  // namespace

int TrainCommand(const std::vector<std::string>& args) {
  FlagSet flags(kUsage, kDescription);
  DeclareFlags(flags);
  if (auto exit = flags.ParseCommand("ferry train", args)) return *exit;
  if (flags.positional().size() != 1 || flags.Get("data").empty()) {
    return flags.UsageError("ferry train", "give one FAMILY and --data FILE");
  }
  auto job = JobFromFlags(flags);
  if (!job.ok()) return Fail(job.status());
  const std::string tracking_uri = flags.Get("tracking-uri"), register_as = flags.Get("register");
  training::TrainHooks hooks;
  std::unique_ptr<training::RunRecorder> recorder;
  if (!flags.GetBool("no-tracking")) {
    auto made = NewRestRunRecorder(tracking_uri);
    if (!made.ok()) return Fail(made.status());
    recorder = *std::move(made);
    hooks.recorder = recorder.get();
  }
  if (!register_as.empty()) {
    hooks.register_package = [&](const std::string& package_dir, const std::string& run_id) {
      int code = ModelsCommand({"register", register_as, "--package", package_dir, "--run-id",
                                run_id, "--tracking-uri", tracking_uri});
      return code == 0 ? absl::OkStatus() : absl::UnknownError("registration failed (see above)");
    };
  }
  hooks.progress = ProgressPrinter(StderrStyle(0));
  hooks.say = [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); };
  const runtime::FamilyRegistry& families = runtime::ProcessFamilies();
  absl::Status s = training::RunTrainJob(*job, families, hooks);
  return s.ok() ? kExitOk : Fail(s);
}

}  // namespace ferry::cli
