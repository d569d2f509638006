#pragma once
// Value types of the tracking domain, mirroring MLflow's service.proto entities.
// Plain data: no I/O, no JSON. Optional proto fields that MLflow omits when unset are
// std::optional here so codecs can omit them too.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ferry {

enum class LifecycleStage { kActive, kDeleted };
enum class ViewType { kActiveOnly = 1, kDeletedOnly = 2, kAll = 3 };
enum class RunStatus { kRunning = 1, kScheduled = 2, kFinished = 3, kFailed = 4, kKilled = 5 };

const char* LifecycleStageName(LifecycleStage s);  // "active" | "deleted"
const char* RunStatusName(RunStatus s);            // "RUNNING" ...
// Parses "RUNNING".. "KILLED" (exact case, as MLflow's proto enum). nullopt otherwise.
std::optional<RunStatus> ParseRunStatus(const std::string& s);
// Accepts "ACTIVE_ONLY"/"DELETED_ONLY"/"ALL" or 1/2/3 as text.
std::optional<ViewType> ParseViewType(const std::string& s);

// The run tag that holds a run's name (MLflow's reserved tag).
inline constexpr char kRunNameTag[] = "mlflow.runName";

struct KeyValue {
  std::string key;
  std::string value;
  bool operator==(const KeyValue&) const = default;
};
using ExperimentTag = KeyValue;
using RunTag = KeyValue;
using Param = KeyValue;
using InputTag = KeyValue;

struct Experiment {
  std::string experiment_id;
  std::string name;
  std::string artifact_location;
  LifecycleStage lifecycle_stage = LifecycleStage::kActive;
  int64_t last_update_time = 0;
  int64_t creation_time = 0;
  std::vector<ExperimentTag> tags;
  std::string workspace = "default";  // core/workspace.h; not on MLflow 2's wire
};

struct Metric {
  std::string key;
  double value = 0;
  int64_t timestamp = 0;
  int64_t step = 0;
};

struct RunInfo {
  std::string run_id;
  std::string run_name;
  std::string experiment_id;
  std::string user_id;
  RunStatus status = RunStatus::kRunning;
  int64_t start_time = 0;
  std::optional<int64_t> end_time;
  std::string artifact_uri;
  LifecycleStage lifecycle_stage = LifecycleStage::kActive;
};

struct Dataset {
  std::string name;
  std::string digest;
  std::string source_type;
  std::string source;
  std::optional<std::string> schema;
  std::optional<std::string> profile;
};

struct DatasetInput {
  std::vector<InputTag> tags;
  Dataset dataset;
};

struct RunData {
  std::vector<Metric> metrics;  // latest value per key
  std::vector<Param> params;
  std::vector<RunTag> tags;
};

struct Run {
  RunInfo info;
  RunData data;
  std::vector<DatasetInput> inputs;
};

// A metric point with the run it belongs to (MLflow's MetricWithRunId).
struct MetricWithRunId {
  std::string run_id;
  Metric metric;
};

// The smallest and largest value a run logged for a metric (NaN points left out).
struct MetricExtremes {
  std::string run_id;
  std::string key;
  double min = 0;
  double max = 0;
};

// A dataset used as a run input in an experiment, with the input's mlflow.data.context tag
// (MLflow's _DatasetSummary).
struct DatasetSummary {
  std::string experiment_id;
  std::string name;
  std::string digest;
  std::optional<std::string> context;
};

// An entry of an artifact listing. Directories have no size.
struct FileInfo {
  std::string path;
  bool is_dir = false;
  std::optional<int64_t> file_size;
};

}  // namespace ferry
