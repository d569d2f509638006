#pragma once
// MLflow's input validation rules (mlflow/utils/validation.py, 2.12), as pure functions.
// Each returns kInvalidArgument with MLflow's message, or OK.

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "core/tracking_types.h"

namespace ferry {

inline constexpr size_t kMaxEntityKeyLength = 250;
inline constexpr size_t kMaxParamValueLength = 6000;
inline constexpr size_t kMaxTagValueLength = 5000;
inline constexpr size_t kMaxExperimentTagValueLength = 5000;
inline constexpr size_t kMaxMetricsPerBatch = 1000;
inline constexpr size_t kMaxParamsPerBatch = 100;
inline constexpr size_t kMaxTagsPerBatch = 100;
inline constexpr size_t kMaxEntitiesPerBatch = 1000;
inline constexpr int64_t kMaxRunsSearchResults = 50000;
inline constexpr int64_t kMaxExperimentsSearchResults = 50000;
inline constexpr size_t kMaxDatasetNameLength = 500;
inline constexpr size_t kMaxDatasetDigestLength = 36;
inline constexpr size_t kMaxDatasetSourceLength = 65535;
inline constexpr size_t kMaxDatasetSchemaLength = 65535;
inline constexpr size_t kMaxDatasetProfileLength = 16 * 1024 * 1024;
inline constexpr size_t kMaxInputTagKeyLength = 255;
inline constexpr size_t kMaxInputTagValueLength = 500;

// `kind` is "metric", "param" or "tag". Checks charset, length and path normalisation.
absl::Status ValidateEntityKey(std::string_view kind, std::string_view key);
// `^[a-zA-Z0-9][\w\-]{0,255}$`
absl::Status ValidateRunId(std::string_view run_id);
// `^[a-zA-Z0-9][\w\-]{0,63}$`
absl::Status ValidateExperimentId(std::string_view id);
absl::Status ValidateExperimentName(std::string_view name);
// Rejects '#' fragments and ';params' in artifact locations, as MLflow does.
absl::Status ValidateArtifactLocation(std::string_view location);
// Length check that names the entity: "Param value '...' had length N, which exceeded ...".
absl::Status ValidateLength(std::string_view what, std::string_view value, size_t limit);
// Rejects `..` segments, absolute paths, backslashes and NUL ("Invalid path").
absl::Status ValidateArtifactPath(std::string_view path);
// MLflow's validate_path_is_safe for a path taken from a request (already %-decoded once):
// %-decoded again until it stops changing (at most 10 rounds; tabs and newlines dropped and
// leading spaces and control characters stripped, as Python's urlsplit does), a "file:" URI
// reduced to its path, then refused with "Invalid path" if it holds '#' or fails
// ValidateArtifactPath. Returns the decoded path, which is the one to use.
absl::StatusOr<std::string> SafeRequestPath(std::string_view path);
// MLflow's rule for a new run's name: a `run_name` argument and an mlflow.runName tag must
// agree (kInvalidArgument "Both 'run_name' argument and 'mlflow.runName' tag are specified,
// but with different values ..."); either fills in the other. Returns the name ("" when neither
// is given) and appends the tag to `tags` when it is missing and the name is not empty.
absl::StatusOr<std::string> ResolveRunName(const std::string& run_name, std::vector<RunTag>& tags);
// Truncates `value` to `limit` bytes without splitting a UTF-8 sequence.
std::string TruncateUtf8(std::string_view value, size_t limit);

}  // namespace ferry
