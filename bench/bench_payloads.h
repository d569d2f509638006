#pragma once
// Request bodies shaped like the ones MLflow's Python client sends: protobuf-JSON with proto
// field names, fields in proto field-number order (so log-batch's run_id comes last), int64
// as numbers, default-valued fields omitted, pretty-printed with indent 2 (message_to_json).
// Shared by the load generator and the JSON kernel benchmarks.

#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <string_view>

namespace ferry::bench {

struct MetricPoint {
  std::string_view key;
  double value = 0;
  int64_t timestamp = 0;
  int64_t step = 0;
};

struct KeyValuePair {
  std::string_view key;
  std::string_view value;
};

// Appends a runs/log-batch request body.
void AppendLogBatch(std::string* out, std::string_view run_id, std::span<const MetricPoint> metrics,
                    std::span<const KeyValuePair> params, std::span<const KeyValuePair> tags);

// The ingest workload's batch number `batch` of one run: kIngestKeys keys x kIngestSteps
// steps (steps batch*kIngestSteps ... +kIngestSteps-1, step-major like repeated
// log_metrics({...}, step) calls), uniform random values, timestamps base_ms + step.
inline constexpr int kIngestKeys = 10;
inline constexpr int kIngestSteps = 100;
void AppendIngestBatch(std::string* out, std::string_view run_id, int64_t batch, int64_t base_ms,
                       std::mt19937_64& rng);

// Body of runs/create with the system tags the Python client sets.
std::string CreateRunBody(std::string_view experiment_id, std::string_view run_name,
                          int64_t start_time_ms);
// Body of experiments/create.
std::string CreateExperimentBody(std::string_view name);
// Body of runs/search, as MlflowClient.search_runs sends it.
std::string SearchRunsBody(std::string_view experiment_id, std::string_view filter,
                           std::string_view order_by, int max_results);

// Appends `s` as a JSON string (escaping quotes, backslashes and control characters).
void AppendQuoted(std::string* out, std::string_view s);
// Appends the shortest representation that round-trips (like Python's repr(float)).
void AppendDouble(std::string* out, double v);

}  // namespace ferry::bench
