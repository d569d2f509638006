#include "cli/server/python_flags.h"

#include <thread>

#include "cli/flags.h"

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
  ASSIGN_OR_RETURN(int64_t workers, f.GetInt("python-workers", 1, cores));
  p.workers = static_cast<int>(workers);
  ASSIGN_OR_RETURN(p.timeout_seconds, f.GetInt("python-timeout", 1, 3600));
  return p;
}

}  // namespace ferry::cli
