// libFuzzer target for an MLflow model directory's MLmodel file and its signature
// (runtime/mlflow/mlmodel.h, signature.h), read by `ferry serve DIR`, `ferry package build`
// and registration from files anyone may have written. Properties checked:
//   * every error is kInvalidArgument starting with "MLmodel" (the file named);
//   * a model that parses names at least one flavor; no path it read leaves the model
//     directory; every schema spec has a name and a shape of -1 or more per dimension, with
//     unique names per side;
//   * the backend choice always gives a reason, and CheckServable fails exactly for kNone.

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "runtime/mlflow/backend.h"
#include "runtime/mlflow/mlmodel.h"
#include "runtime/mlflow/python_backend.h"

namespace {

using namespace ferry::runtime::mlflow;  // NOLINT

bool Inside(const std::string& p) {
  return p.empty() ||
         (p[0] != '/' && p.find("../") != 0 && p != ".." && p.find("/../") == std::string::npos);
}

void CheckSpecs(const std::vector<ferry::TensorSpec>& specs) {
  std::set<std::string> names;
  for (const ferry::TensorSpec& s : specs) {
    Check(!s.name.empty());
    Check(names.insert(s.name).second);
    for (int64_t d : s.shape) Check(d >= -1);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<MlModel> m = ParseMlModel(input, "MLmodel");
  if (!m.ok()) {
    Check(m.status().code() == absl::StatusCode::kInvalidArgument);
    Check(m.status().message().substr(0, 7) == "MLmodel");
    return 0;
  }
  Check(!m->flavors.empty());
  for (const std::string* p : {&m->pyfunc.data, &m->pyfunc.python_model, &m->pyfunc.code,
                               &m->xgboost.data, &m->sklearn.pickled_model, &m->input_example}) {
    Check(Inside(*p));
  }
  for (const auto& [name, path] : m->pyfunc.artifacts) Check(Inside(path));
  CheckSpecs(m->schema.inputs);
  CheckSpecs(m->schema.outputs);
  const BackendChoice choice = ChooseBackend(*m);
  Check(!choice.reason.empty());
  Check(CheckServable(choice, "m").ok() == (choice.backend != Backend::kNone));
  std::string what;
  (void)LoadsPickle(*m, &what);
  (void)PyfuncSpecFor(*m, "/nonexistent");
  return 0;
}
