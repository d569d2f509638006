#pragma once
// The work behind `ferry train`: one TrainJob from data file to (optionally) registered
// package. Progress and results go to stderr; the package directory is the output.

#include <cstdint>
#include <map>
#include <string>

#include "common/status.h"

namespace ferry::cli {

struct TrainJob {
  std::string family;
  std::string data_path;
  std::string target;
  std::map<std::string, std::string> params;
  double test_fraction = 0.2;
  uint64_t seed = 42;
  std::string model_name;
  std::string run_name;
  std::string experiment;
  std::string version;  // empty: the run id (or "latest" without tracking)
  std::string output;   // package layout directory
  std::string register_as;
  std::string tracking_uri;
  bool track = true;
};

// Checks the family, the data and the target column (usage errors come back before any run
// is created), then splits, trains, logs the run (FINISHED, or FAILED with the error), builds the
// package at job.output and registers it when job.register_as is set. The error of the first
// step that failed, naming it.
absl::Status RunTrainJob(const TrainJob& job);

// The default package directory of a training run: NAME.oci, or NAME-2.oci, NAME-3.oci, ...
// when earlier runs left those, so that training again needs no -o.
std::string FreshOutputDir(const std::string& model_name);

// "data/breast_cancer.csv" -> "breast_cancer".
std::string FileStem(const std::string& path);

}  // namespace ferry::cli
