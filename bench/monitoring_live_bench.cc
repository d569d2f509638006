// The per-record cost of live monitoring's worker, without HTTP: one prediction of the
// logistic model on the 30 breast-cancer features (input FP64 [1, 30], outputs predictions
// INT64 [1] and probabilities FP64 [1, 2]) turned into frames (serving::PredictionToFrames)
// and added to a DeploymentMonitor with a reference profile, windows of 1000 rows, as
// app/monitoring/live_monitoring.cc does. Prints ns per record for the conversion, for
// DeploymentMonitor::Add, and for both, in thread CPU time.
//   build/bench/monitoring_live_bench [RECORDS]        (default 300000)

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>
#include <string>
#include <vector>

#include "core/model_schema.h"
#include "core/tensor.h"
#include "monitoring/live/deployment_monitor.h"
#include "serving/prediction_frames.h"

namespace {

using ferry::DataType;
using ferry::Tensor;
using ferry::TensorSpec;
// Thread CPU time: the machine may be shared, and waiting for a core is not the worker's cost.
struct Clock {
  using duration = std::chrono::nanoseconds;
  static std::chrono::time_point<Clock, duration> now() {
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return std::chrono::time_point<Clock, duration>(
        duration(ts.tv_sec * 1000000000LL + ts.tv_nsec));
  }
};

const char* const kFeatures[] = {"mean_radius",      "mean_texture",
                                 "mean_perimeter",   "mean_area",
                                 "mean_smoothness",  "mean_compactness",
                                 "mean_concavity",   "mean_concave_points",
                                 "mean_symmetry",    "mean_fractal_dimension",
                                 "radius_error",     "texture_error",
                                 "perimeter_error",  "area_error",
                                 "smoothness_error", "compactness_error",
                                 "concavity_error",  "concave_points_error",
                                 "symmetry_error",   "fractal_dimension_error",
                                 "worst_radius",     "worst_texture",
                                 "worst_perimeter",  "worst_area",
                                 "worst_smoothness", "worst_compactness",
                                 "worst_concavity",  "worst_concave_points",
                                 "worst_symmetry",   "worst_fractal_dimension"};
constexpr int kWidth = 30;

struct Record {
  std::vector<Tensor> inputs, outputs;
};

double NsPer(Clock::duration d, size_t n) {
  return static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(d).count()) /
         static_cast<double>(n);
}

}  // namespace

int main(int argc, char** argv) {
  const size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 300000;
  ferry::ModelSchema schema;
  std::vector<std::string> names(kFeatures, kFeatures + kWidth);
  schema.inputs.push_back(TensorSpec{"input", DataType::kFp64, {-1, kWidth}, names, false});
  schema.outputs.push_back(TensorSpec{"predictions", DataType::kInt64, {-1}, {}, false});
  schema.outputs.push_back(
      TensorSpec{"probabilities", DataType::kFp64, {-1, 2}, {"0", "1"}, false});

  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal(0, 1);
  ferry::Frame ref;
  for (const std::string& name : names) ref.columns.push_back(ferry::Column{name, true, {}, {}});
  ref.columns.push_back(ferry::Column{"predictions", true, {}, {}});
  ref.columns.push_back(ferry::Column{"probabilities_1", true, {}, {}});
  for (int r = 0; r < 569; ++r) {  // the breast-cancer data's rows
    for (int j = 0; j < kWidth; ++j) ref.columns[j].numbers.push_back(normal(rng));
    ref.columns[kWidth].numbers.push_back(r % 2);
    ref.columns[kWidth + 1].numbers.push_back(0.5 + 0.1 * normal(rng));
  }
  std::vector<Record> records(1000);
  for (Record& rec : records) {
    std::vector<double> row(kWidth);
    for (double& v : row) v = normal(rng);
    rec.inputs.push_back(ferry::MakeFp64Tensor("input", {1, kWidth}, row));
    rec.outputs.push_back(ferry::MakeInt64Tensor("predictions", {1}, {row[0] > 0 ? 1 : 0}));
    const double p = 1 / (1 + std::exp(-row[0]));
    rec.outputs.push_back(ferry::MakeFp64Tensor("probabilities", {1, 2}, {1 - p, p}));
  }
  std::vector<std::string> ids(n);
  for (size_t i = 0; i < n; ++i) {
    char buf[48];
    std::snprintf(buf, sizeof(buf), "5f0c2a8e-1b7d-4c3e-9a21-%012zx", i);
    ids[i] = buf;
  }

  ferry::monitoring::LiveOptions o;
  o.window_rows = 1000;
  o.columns = ferry::serving::SchemaInputColumns(schema);
  o.prediction_column = "predictions";
  o.score_column = "probabilities_1";
  o.positive = "1";
  auto monitor = ferry::monitoring::DeploymentMonitor::Create(
      "bc", ferry::monitoring::DatasetProfile::FromFrame(ref), o);
  if (!monitor.ok()) return 1;

  ferry::serving::PredictionFrames frames;
  auto t0 = Clock::now();
  for (size_t i = 0; i < n; ++i) {
    const Record& rec = records[i % records.size()];
    if (!ferry::serving::PredictionToFrames(schema, rec.inputs, rec.outputs, frames).ok()) return 1;
  }
  auto t1 = Clock::now();
  for (size_t i = 0; i < n; ++i) {
    if (!(*monitor)->Add(static_cast<int64_t>(i), ids[i], frames.inputs, frames.predictions).ok()) {
      return 1;
    }
  }
  auto t2 = Clock::now();
  auto both = ferry::monitoring::DeploymentMonitor::Create(
      "bc", ferry::monitoring::DatasetProfile::FromFrame(ref), o);
  auto t3 = Clock::now();
  for (size_t i = 0; i < n; ++i) {
    const Record& rec = records[i % records.size()];
    if (!ferry::serving::PredictionToFrames(schema, rec.inputs, rec.outputs, frames).ok()) return 1;
    if (!(*both)->Add(static_cast<int64_t>(i), ids[i], frames.inputs, frames.predictions).ok()) {
      return 1;
    }
  }
  auto t4 = Clock::now();
  std::printf("records %zu, windows closed %llu\n", n,
              static_cast<unsigned long long>((*both)->current_state().windows_closed));
  std::printf("PredictionToFrames        %8.0f ns/record\n", NsPer(t1 - t0, n));
  std::printf("DeploymentMonitor::Add    %8.0f ns/record\n", NsPer(t2 - t1, n));
  std::printf("both (the worker's path)  %8.0f ns/record\n", NsPer(t4 - t3, n));
  return 0;
}
