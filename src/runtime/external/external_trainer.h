#pragma once
// A Trainer that runs a user's training command and loads what it writes with a named family.
//
// Params: `command` (required): a string run with /bin/sh -c, or a JSON array of strings run
// as argv (argv[0] searched in PATH); `predictor_family` (required): the family that loads
// the output, e.g. "xgboost"; `timeout` [3600]: seconds before the command's process group is
// killed. Every other param is passed on to the command in FERRY_PARAMS_JSON.
//
// The command's environment adds: FERRY_DATA (the train frame as CSV, frame_csv.h),
// FERRY_TEST_DATA (the test frame as CSV; only a header when there are no test rows),
// FERRY_TARGET, FERRY_OUTPUT_DIR (= TrainSpec::output_dir) and FERRY_PARAMS_JSON (a JSON
// object of strings). The data files live in a temporary directory removed afterwards.
//
// On exit 0 the family loads FERRY_OUTPUT_DIR; its schema is the result's. Metrics come from
// an optional FERRY_OUTPUT_DIR/metrics.json, {"name": number, ...}.
// Errors: kInvalidArgument for bad params, an unknown family, a command that cannot start or
// a model the family cannot load; kInternal "exited with code N" / "killed by signal N" and
// kDeadlineExceeded for a timeout, each with the last 4 KiB of the command's stdout+stderr.

#include "runtime/family.h"
#include "runtime/trainer.h"

namespace ferry::runtime {

// `families` must outlive the trainer.
TrainerPtr NewExternalTrainer(const FamilyRegistry& families);

}  // namespace ferry::runtime
