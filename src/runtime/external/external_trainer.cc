#include "runtime/external/external_trainer.h"

#include <stdlib.h>

#include <cmath>
#include <filesystem>

#include "common/fs.h"
#include "common/json.h"
#include "common/json_writer.h"
#include "common/process.h"
#include "common/strings.h"
#include "runtime/external/frame_csv.h"

namespace ferry::runtime {
namespace {

constexpr const char* kOwnParams[] = {"command", "predictor_family", "timeout"};

bool IsOwnParam(const std::string& name) {
  for (const char* p : kOwnParams) {
    if (name == p) return true;
  }
  return false;
}

absl::StatusOr<std::vector<std::string>> CommandArgv(const std::string& command) {
  const size_t start = command.find_first_not_of(" \t\n");
  if (start == std::string::npos) {
    return absl::InvalidArgumentError("param \"command\": expected a command, got \"\"");
  }
  if (command[start] != '[') return std::vector<std::string>{"/bin/sh", "-c", command};
  auto doc = ParseJson(command);
  std::vector<std::string> argv;
  if (doc.ok() && doc->is_array()) {
    for (const JsonValue& v : doc->items()) {
      if (!v.is_string()) break;
      argv.push_back(v.as_string());
    }
  }
  if (!doc.ok() || argv.empty() || argv.size() != doc->items().size()) {
    return absl::InvalidArgumentError(
        "param \"command\": a command starting with '[' must be a JSON array of strings");
  }
  return argv;
}

std::string ParamsJson(const std::map<std::string, std::string>& params) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  for (const auto& [k, v] : params) {
    if (!IsOwnParam(k)) w.Field(k, v);
  }
  w.EndObject();
  return out;
}

absl::StatusOr<std::map<std::string, double>> ReadMetrics(const std::string& dir) {
  std::map<std::string, double> metrics;
  const std::string path = JoinPath(dir, "metrics.json");
  if (!PathExists(path)) return metrics;
  ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  auto doc = ParseJson(text);
  if (!doc.ok() || !doc->is_object()) {
    return absl::InvalidArgumentError(path + ": expected a JSON object of numbers");
  }
  for (const auto& [name, value] : doc->members()) {
    if (!value.is_number()) {
      return absl::InvalidArgumentError(path + ": \"" + name + "\" is not a number");
    }
    metrics[name] = value.as_double();
  }
  return metrics;
}

absl::Status Failure(const ProcessResult& r, double timeout_s) {
  const std::string tail = "; last output:\n" + r.output_tail;
  if (r.timed_out) {
    return absl::DeadlineExceededError("trainer command timed out after " +
                                       std::to_string(timeout_s) + " s" + tail);
  }
  if (r.signaled) {
    return absl::InternalError("trainer command killed by signal " +
                               std::to_string(r.exit_code - 128) + tail);
  }
  return absl::InternalError("trainer command exited with code " + std::to_string(r.exit_code) +
                             tail);
}

class ExternalTrainer : public Trainer {
 public:
  explicit ExternalTrainer(const FamilyRegistry& families) : families_(families) {}

  // Trainer
  absl::StatusOr<TrainResult> Train(const TrainSpec& spec) override;

 private:
  const FamilyRegistry& families_;
};

absl::StatusOr<TrainResult> ExternalTrainer::Train(const TrainSpec& spec) {
  if (spec.train == nullptr) return absl::InvalidArgumentError("no training data");
  TrainResult result;
  result.params = spec.params;
  auto command = spec.params.find("command");
  if (command == spec.params.end()) {
    return absl::InvalidArgumentError("param \"command\" is required");
  }
  ASSIGN_OR_RETURN(std::vector<std::string> argv, CommandArgv(command->second));
  const std::string family_name =
      spec.params.count("predictor_family") ? spec.params.at("predictor_family") : "";
  const Family* family = families_.Find(family_name);
  if (family == nullptr) {
    return absl::InvalidArgumentError("param \"predictor_family\": expected one of " +
                                      families_.Names() + ", got \"" + family_name + "\"");
  }
  double timeout_s = 3600;
  if (auto it = spec.params.find("timeout"); it != spec.params.end()) {
    auto v = ParseDouble(it->second);
    if (!v || !(*v > 0) || *v > 1e7) {
      return absl::InvalidArgumentError("param \"timeout\": expected seconds > 0, got \"" +
                                        it->second + "\"");
    }
    timeout_s = *v;
  }
  result.params["timeout"] = std::to_string(timeout_s);

  ASSIGN_OR_RETURN(TempDir scratch, TempDir::Create("ferry-train"));
  const std::string train_csv = JoinPath(scratch.path(), "train.csv");
  const std::string test_csv = JoinPath(scratch.path(), "test.csv");
  RETURN_IF_ERROR(WriteFileAtomic(train_csv, external::FrameToCsv(*spec.train)));
  Frame header_only;
  for (const Column& c : spec.train->columns)
    header_only.columns.push_back({c.name, c.numeric, {}, {}});
  RETURN_IF_ERROR(WriteFileAtomic(
      test_csv, external::FrameToCsv(spec.test != nullptr && spec.test->rows() > 0 ? *spec.test
                                                                                   : header_only)));
  std::map<std::string, std::string> env = {{"FERRY_DATA", train_csv},
                                            {"FERRY_TEST_DATA", test_csv},
                                            {"FERRY_TARGET", spec.target},
                                            {"FERRY_OUTPUT_DIR", spec.output_dir},
                                            {"FERRY_PARAMS_JSON", ParamsJson(spec.params)}};
  ReportTraining(spec, 0, 1, "running " + argv.back());
  ProcessOptions options;
  options.extra_env = std::move(env);
  options.stdin_null = true;
  options.tail_bytes = 4096;
  options.own_process_group = true;  // the timeout kills what the command started too
  options.timeout = std::chrono::milliseconds(static_cast<int64_t>(std::ceil(timeout_s * 1000)));
  ASSIGN_OR_RETURN(ProcessResult run, RunProcess(argv, options));
  if (run.timed_out || run.exit_code != 0) return Failure(run, timeout_s);
  ReportTraining(spec, 1, 1, "command finished");

  ASSIGN_OR_RETURN(result.metrics, ReadMetrics(spec.output_dir));
  auto predictor = family->Load({spec.output_dir, {}});
  if (!predictor.ok()) {
    return absl::InvalidArgumentError("the command's output is not a " + family_name +
                                      " model: " + std::string(StatusMessage(predictor.status())));
  }
  result.schema = (*predictor)->schema();
  result.format = "external/" + family_name;
  return result;
}

}  // namespace

TrainerPtr NewExternalTrainer(const FamilyRegistry& families) {
  return std::make_unique<ExternalTrainer>(families);
}

}  // namespace ferry::runtime
