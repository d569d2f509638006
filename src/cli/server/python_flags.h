#pragma once
// The Python worker flags shared by `ferry serve`, `ferry predict` and `ferry server`: which
// python3 runs MLflow python_function models, how many worker processes each model gets and
// how long a request may take (docs/SERVING.md, "Python models"). Parsed here; app/ turns them
// into runtime::python::PythonWorkerOptions.

#include <cstdint>
#include <string>

#include "common/status.h"

namespace ferry::cli {

class FlagSet;

struct PythonFlags {
  std::string interpreter = "/usr/bin/python3";
  int workers = 1;
  int64_t timeout_seconds = 60;  // MLflow's scoring server default
};

// Declares --python, --python-workers and --python-timeout.
void DeclarePythonFlags(FlagSet& flags);
// kInvalidArgument naming the flag when a value is out of range.
absl::StatusOr<PythonFlags> PythonFlagsFrom(const FlagSet& flags);

}  // namespace ferry::cli
