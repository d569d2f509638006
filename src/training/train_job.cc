#include "training/train_job.h"

#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

#include "common/clock.h"
#include "common/file_hash.h"
#include "common/fs.h"
#include "common/sha256.h"
#include "core/dataset_digest.h"
#include "core/frame_reader.h"
#include "loader/package_loader.h"
#include "package/build/builder.h"
#include "package/build/package_config.h"
#include "runtime/external/external_trainer.h"
#include "runtime/family.h"
#include "runtime/split.h"

namespace ferry::training {
namespace {

absl::StatusOr<std::string> HashFile(const std::string& path) {
  ASSIGN_OR_RETURN(std::string bytes, ReadFile(path));
  return "sha256:" + Sha256Hex(bytes);
}

// The partial config (ferry-package.json) the package builder merges: how to load the
// model, how to retrain it, its schema.
absl::Status WritePackageMetadata(const TrainJob& job, const runtime::TrainResult& result,
                                  const std::string& predictor_family,
                                  const std::string& data_digest, const std::string& dir) {
  package::PackageConfig c;
  c.descriptor.name = job.model_name;
  c.descriptor.family = predictor_family;
  c.config.format = result.format;
  c.ferry.predictor = package::PredictorEntry{"builtin", predictor_family, "", "", "", ""};
  package::TrainerEntry trainer;
  trainer.command = {"ferry", "train", job.family, "--data", "${data:train}"};
  if (!job.target.empty()) trainer.command.insert(trainer.command.end(), {"--target", job.target});
  trainer.parameters = result.params;
  trainer.data.push_back({"train", data_digest, job.data_path});
  c.ferry.trainer = std::move(trainer);
  loader::SchemaToPackage(result.schema, c.ferry);
  return WriteFileAtomic(JoinPath(dir, "ferry-package.json"), package::SerializeConfig(c));
}

// The training data as the run's dataset input: named by the file, its SHA-256 (MLflow's
// 36-character form; the full one as tag ferry.digest), the path.
DatasetInput TrainingDataset(const TrainJob& job, const std::string& digest) {
  DatasetInput in;
  in.tags = {{"mlflow.data.context", "training"}, {kDatasetDigestTag, digest}};
  const size_t slash = job.data_path.find_last_of('/');
  in.dataset.name = slash == std::string::npos ? job.data_path : job.data_path.substr(slash + 1);
  in.dataset.digest = MlflowDatasetDigest(digest);
  in.dataset.source_type = "local";
  in.dataset.source = job.data_path;
  return in;
}

// Uploads the model files (MLmodel and code/ included) as the run's artifacts under model/.
absl::Status LogResult(RunRecorder& recorder, const runtime::TrainResult& result,
                       const std::string& data_digest, const std::string& model_dir) {
  std::vector<Metric> metrics;
  const int64_t now = SystemClock().NowMillis();
  for (const auto& [k, v] : result.metrics) metrics.push_back({k, v, now, 0});
  std::vector<Param> params;
  for (const auto& [k, v] : result.params) params.push_back({k, v});
  RETURN_IF_ERROR(recorder.LogBatch(metrics, params, {{"ferry.data.digest", data_digest}}));
  ASSIGN_OR_RETURN(std::vector<std::string> files, ListTree(model_dir));
  for (const std::string& f : files) {
    RETURN_IF_ERROR(recorder.UploadArtifact("model/" + f, JoinPath(model_dir, f)));
  }
  return absl::OkStatus();
}

void Say(const TrainHooks& hooks, const std::string& line) {
  if (hooks.say) hooks.say(line);
}

absl::StatusOr<runtime::TrainerPtr> MakeTrainer(const runtime::FamilyRegistry& families,
                                                const TrainJob& job, std::string& predictor) {
  if (job.family == "external") {
    auto it = job.params.find("predictor_family");
    if (it == job.params.end()) {
      return absl::InvalidArgumentError(
          "family external needs --param predictor_family=F (the family that loads the "
          "command's model)");
    }
    predictor = it->second;
    return runtime::NewExternalTrainer(families);
  }
  const runtime::Family* family = families.Find(job.family);
  if (family == nullptr) {
    return absl::InvalidArgumentError("unknown family \"" + job.family + "\"; choose one of " +
                                      families.Names() + ", external");
  }
  runtime::TrainerPtr trainer = family->NewTrainer();
  if (trainer == nullptr) {
    return absl::InvalidArgumentError("family " + job.family + " cannot train");
  }
  predictor = job.family;
  return trainer;
}

// The recommender is evaluated on whole held-out sessions: rows are split by their session
// column (param session_col, default "session"), not one by one.
absl::StatusOr<runtime::FrameSplit> SplitForFamily(const Frame& frame, const TrainJob& job) {
  if (job.family != "recommender") {
    return runtime::SplitFrame(frame, job.test_fraction, job.seed);
  }
  auto it = job.params.find("session_col");
  const std::string col = it == job.params.end() ? "session" : it->second;
  const Column* sessions = frame.Find(col);
  if (sessions == nullptr) {
    return absl::InvalidArgumentError("session column \"" + col + "\" not found in the data");
  }
  std::map<std::string, size_t> ids;  // session value -> index in first-appearance order
  std::vector<size_t> row_session(frame.rows());
  for (size_t r = 0; r < frame.rows(); ++r) {
    std::string key =
        sessions->numeric ? std::to_string(sessions->numbers[r]) : sessions->strings[r];
    row_session[r] = ids.emplace(std::move(key), ids.size()).first->second;
  }
  // With a numeric time column (param time_col, default "time") the latest sessions are held
  // out (a time split: tested on what came after the training data); else a seeded hash.
  auto tc = job.params.find("time_col");
  const Column* times = frame.Find(tc == job.params.end() ? "time" : tc->second);
  std::vector<bool> held_out(ids.size(), false);
  std::vector<size_t> test_sessions;
  if (times != nullptr && times->numeric) {
    std::vector<double> start(ids.size(), HUGE_VAL);
    for (size_t r = 0; r < frame.rows(); ++r) {
      if (times->numbers[r] < start[row_session[r]]) start[row_session[r]] = times->numbers[r];
    }
    test_sessions = runtime::LatestGroups(start, job.test_fraction);
  } else {
    test_sessions = runtime::HeldOutGroups(ids.size(), job.test_fraction, job.seed);
  }
  for (size_t s : test_sessions) held_out[s] = true;
  std::vector<size_t> train_rows, test_rows;
  for (size_t r = 0; r < frame.rows(); ++r) {
    (held_out[row_session[r]] ? test_rows : train_rows).push_back(r);
  }
  return runtime::FrameSplit{frame.Take(train_rows), frame.Take(test_rows)};
}

std::string MetricsLine(const std::map<std::string, double>& metrics) {
  std::string line = "Metrics:";
  char buf[64];
  for (const auto& [k, v] : metrics) {
    std::snprintf(buf, sizeof buf, "%.4g", v);
    line += " " + k + "=" + buf;
  }
  return line;
}

std::string Format(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
std::string Format(const char* fmt, ...) {
  char buf[1024];
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, args);
  va_end(args);
  return buf;
}

// What training needs, checked before any run is created: a usage error (unknown family,
// missing target column, a classifier on a continuous target) must not leave a FAILED run.
struct Prepared {
  runtime::TrainerPtr trainer;
  std::string predictor_family;
  Frame frame;
};

// Families that predict classes: their target must hold labels, not measurements.
bool IsClassifier(const TrainJob& job) {
  if (job.family == "logistic") return true;
  auto task = job.params.find("task");
  return job.family == "xgboost" && task != job.params.end() && task->second == "classification";
}

absl::Status CheckTarget(const TrainJob& job, const Frame& frame) {
  if (job.family == "recommender" || job.family == "external") return absl::OkStatus();
  if (job.target.empty()) {
    return absl::InvalidArgumentError("family " + job.family + " needs --target COLUMN");
  }
  const Column* target = frame.Find(job.target);
  if (target == nullptr) {
    return absl::InvalidArgumentError("target column \"" + job.target + "\" not found in " +
                                      job.data_path);
  }
  if (!IsClassifier(job) || !target->numeric) return absl::OkStatus();
  for (double v : target->numbers) {
    if (std::isfinite(v) && v != std::floor(v)) {
      char example[32];
      std::snprintf(example, sizeof example, "%g", v);
      return absl::InvalidArgumentError(
          "family " + job.family + " is a classifier, but target column \"" + job.target +
          "\" is continuous (e.g. " + example + "); use linear or xgboost for regression");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Prepared>> Prepare(const TrainJob& job,
                                                  const runtime::FamilyRegistry& families,
                                                  const TrainHooks& hooks) {
  auto p = std::make_unique<Prepared>();
  ASSIGN_OR_RETURN(p->trainer, MakeTrainer(families, job, p->predictor_family));
  ASSIGN_OR_RETURN(p->frame, ReadFrame(job.data_path));
  Say(hooks, Format("Read %s: %zu rows, %zu columns", job.data_path.c_str(), p->frame.rows(),
                    p->frame.columns.size()));
  RETURN_IF_ERROR(CheckTarget(job, p->frame));
  return p;
}

// Trains into `model_dir` and writes the package metadata beside the model files.
absl::StatusOr<runtime::TrainResult> TrainModel(const TrainJob& job, Prepared& p,
                                                const std::string& model_dir,
                                                const std::string& data_digest,
                                                const TrainHooks& hooks) {
  ASSIGN_OR_RETURN(runtime::FrameSplit split, SplitForFamily(p.frame, job));
  Say(hooks, Format("Split: %zu rows to train, %zu to evaluate (seed %llu)", split.train.rows(),
                    split.test.rows(), static_cast<unsigned long long>(job.seed)));
  runtime::TrainSpec spec{&split.train, &split.test, job.target,
                          job.params,   model_dir,   hooks.progress};
  ASSIGN_OR_RETURN(runtime::TrainResult result, p.trainer->Train(spec));
  Say(hooks, MetricsLine(result.metrics));
  RETURN_IF_ERROR(WritePackageMetadata(job, result, p.predictor_family, data_digest, model_dir));
  return result;
}

absl::Status BuildPackage(const TrainJob& job, const runtime::TrainResult& result,
                          const std::string& model_dir, const std::string& run_id,
                          const TrainHooks& hooks) {
  package::BuildOptions o;
  o.model_dir = model_dir;
  o.out_dir = job.output;
  o.name = job.model_name;
  o.version = !job.version.empty() ? job.version : !run_id.empty() ? run_id : "latest";
  o.source_run_id = run_id;
  o.metrics = result.metrics;
  o.params = result.params;
  ASSIGN_OR_RETURN(package::BuildResult built, package::Build(o));
  Say(hooks, Format("Package %s:%s in %s (%s)", job.model_name.c_str(), built.tag.c_str(),
                    job.output.c_str(), built.manifest.digest.c_str()));
  return absl::OkStatus();
}

}  // namespace

std::string FreshOutputDir(const std::string& model_name) {
  std::string dir = model_name + ".oci";
  for (int n = 2; PathExists(dir); ++n) dir = model_name + "-" + std::to_string(n) + ".oci";
  return dir;
}

std::string FileStem(const std::string& path) {
  size_t slash = path.find_last_of('/');
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  size_t dot = name.find('.');
  return dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
}

absl::Status RunTrainJob(const TrainJob& job, const runtime::FamilyRegistry& families,
                         const TrainHooks& hooks) {
  // A layout that already holds a package would get a second one, which `register` and
  // `serve` then refuse as ambiguous: fail now, before any training or logging.
  if (PathExists(job.output)) {
    return absl::AlreadyExistsError(job.output +
                                    " already exists; remove it or choose another -o DIR");
  }
  ASSIGN_OR_RETURN(std::string digest, HashFile(job.data_path));
  ASSIGN_OR_RETURN(std::unique_ptr<Prepared> prepared, Prepare(job, families, hooks));
  std::string run_id;
  if (hooks.recorder != nullptr) {
    std::vector<RunTag> tags = {{"mlflow.runName", job.run_name},
                                {"mlflow.source.name", "ferry train"},
                                {"mlflow.source.type", "LOCAL"},
                                {"ferry.family", job.family}};
    tags.insert(tags.end(), job.tags.begin(), job.tags.end());
    ASSIGN_OR_RETURN(run_id, hooks.recorder->StartRun(job.experiment, job.run_name, tags));
    Say(hooks, "Run " + run_id + " in experiment '" + job.experiment + "'");
  }
  absl::StatusOr<TempDir> staging = TempDir::Create("ferry-train");
  absl::Status s = staging.status();
  absl::StatusOr<runtime::TrainResult> result =
      s.ok() ? TrainModel(job, *prepared, staging->path(), digest, hooks) : s;
  if (result.ok() && hooks.recorder) {
    s = hooks.recorder->LogInputs({TrainingDataset(job, digest)});
    if (s.ok()) s = LogResult(*hooks.recorder, *result, digest, staging->path());
  }
  if (result.ok() && s.ok()) s = BuildPackage(job, *result, staging->path(), run_id, hooks);
  if (!result.ok()) s = result.status();
  if (hooks.recorder) {
    absl::Status ended = hooks.recorder->EndRun(s.ok());
    if (s.ok()) s = ended;
  }
  RETURN_IF_ERROR(s);
  if (!hooks.register_package) return absl::OkStatus();
  return hooks.register_package(job.output, run_id);
}

}  // namespace ferry::training
