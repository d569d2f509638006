#include "cli/server/python_flags.h"

#include <thread>

#include "cli/flags.h"
#include "common/strings.h"

namespace ferry::cli {

void DeclarePythonFlags(FlagSet& f) {
  f.String("python", "/usr/bin/python3",
           "python3 running MLflow python_function models (a virtualenv's interpreter works; "
           "conda environments are refused)");
  f.String("python-workers", "1", "worker processes per Python model (1 to the number of cores)");
  f.String("python-timeout", "60",
           "seconds a request to a Python model may take before 504 (its worker is replaced)");
}

absl::StatusOr<PythonFlags> PythonFlagsFrom(const FlagSet& f) {
  PythonFlags p;
  p.interpreter = f.Get("python");
  const int64_t cores = std::max(1u, std::thread::hardware_concurrency());
  auto workers = ParseInt64(f.Get("python-workers"));
  if (!workers || *workers < 1 || *workers > cores) {
    return absl::InvalidArgumentError("--python-workers: expected an integer in [1, " +
                                      std::to_string(cores) + "] (the number of cores)");
  }
  p.workers = static_cast<int>(*workers);
  auto timeout = ParseInt64(f.Get("python-timeout"));
  if (!timeout || *timeout < 1 || *timeout > 3600) {
    return absl::InvalidArgumentError("--python-timeout: expected seconds in [1, 3600]");
  }
  p.timeout_seconds = *timeout;
  return p;
}

}  // namespace ferry::cli
