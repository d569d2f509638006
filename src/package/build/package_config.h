#pragma once
// The package config blob (media type application/vnd.cncf.model.config.v1+json): a CNCF
// ModelPack config (`descriptor`, `config`, `modelfs`) extended with Ferry's own fields in a
// `ferry` object: how to load and call the predictor, how to retrain (trainer command,
// parameters, data inputs by digest), the input/output schema, exact dependency versions,
// metrics, lineage (source run, code commit) and a slot for the monitoring reference
// profile. docs/PACKAGES.md documents every field with an example.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ferry {
class JsonValue;
}

namespace ferry::package {

// ModelPack `descriptor`.
struct ModelDescriptor {
  std::string name;  // required
  std::string version;
  std::string created_at;  // RFC 3339, UTC ("2025-01-01T00:00:00Z")
  std::vector<std::string> authors;
  std::string vendor;
  std::string family;
  std::vector<std::string> licenses;
  std::string title;
  std::string description;
  std::string doc_url;
  std::string source_url;
  std::string datasets_url;
  std::string revision;
};

// ModelPack `config`.
struct ModelSettings {
  std::string format;  // "onnx", "safetensors", "xgboost", ...
  std::string architecture;
  std::string precision;
  std::string param_size;
  std::string quantization;
};

// How a server loads and calls the model.
struct PredictorEntry {
  std::string kind;    // "builtin" (a Ferry runtime family), "command" or "pyfunc"
  std::string family;  // runtime family, e.g. "linear", "xgboost", "mlflow"
  std::string flavor;  // e.g. "python_function", "sklearn"
  std::string entry;   // file inside the package (required for "command" and "pyfunc")
  // For "pyfunc" (an MLflow model directory): the backend chosen at build ("xgboost" native,
  // "python" the worker pool) and why, in a sentence (runtime/mlflow/backend.h).
  std::string backend;
  std::string reason;
};

struct DataInput {
  std::string name;
  std::string digest;  // sha256:<hex> of the data the model was trained on
  std::string uri;     // where it was read from (informational)
};

// How the package retrains itself: run `command` in the unpacked package with
// `parameters`, reading `data`.
struct TrainerEntry {
  std::vector<std::string> command;
  std::map<std::string, std::string> parameters;
  std::vector<DataInput> data;
};

struct TensorSpec {
  std::string name;
  std::string type;                  // one of the types ValidateConfig accepts ("float32", ...)
  std::vector<int64_t> shape;        // -1 for a free dimension; empty for a scalar column
  std::vector<std::string> columns;  // names along the last dimension (tabular inputs)
  bool allow_nan = false;            // may a floating input hold NaN?
};

struct Dependency {
  std::string name;
  std::string version;  // exact: no ranges or wildcards
};

struct FerryFields {
  std::string ferry_version;  // FERRY_VERSION of the builder
  std::optional<PredictorEntry> predictor;
  std::optional<TrainerEntry> trainer;
  std::vector<TensorSpec> inputs;
  std::vector<TensorSpec> outputs;
  std::vector<Dependency> dependencies;
  std::map<std::string, double> metrics;
  std::map<std::string, std::string> params;  // hyperparameters of the source run
  std::string source_run_id;
  std::string code_commit;
  std::optional<std::string> reference_profile;  // a digest, filled in by monitoring
};

struct PackageConfig {
  ModelDescriptor descriptor;
  ModelSettings config;
  std::vector<std::string> diff_ids;  // modelfs.diffIds: the layer digests, in order
  FerryFields ferry;
};

// Compact JSON, fields in a fixed order, empty optional fields left out
// (ferry.referenceProfile is always written, as null until filled).
std::string SerializeConfig(const PackageConfig& c);
// Parses and validates. kInvalidArgument naming the field ("ferry.trainer.data[0].digest:
// ...").
absl::StatusOr<PackageConfig> ParseConfig(std::string_view bytes);
// The checks ParseConfig makes, for configs built in code.
absl::Status ValidateConfig(const PackageConfig& c);

// Fills `descriptor`, `config` and `ferry` from a partial config document (the optional
// ferry-package.json of a model directory, same field names as the config blob, every
// field optional). Fields present in the document replace those in `c`.
absl::Status MergePartialConfig(const JsonValue& doc, PackageConfig& c);

// Accepted TensorSpec types.
bool IsKnownTensorType(std::string_view type);

}  // namespace ferry::package
