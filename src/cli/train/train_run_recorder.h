#pragma once
// `ferry train`'s run recorder: the training job's run, logged to a tracking server over
// MLflow's REST API.

#include <memory>
#include <string>

#include "common/status.h"
#include "training/train_job.h"

namespace ferry::cli {

// A recorder talking to the server at `tracking_uri`; kInvalidArgument for a bad URI.
absl::StatusOr<std::unique_ptr<training::RunRecorder>> NewRestRunRecorder(
    const std::string& tracking_uri);

}  // namespace ferry::cli
