#pragma once
// JSON encoding of tracking entities in MLflow's wire form (proto field names, int64 as
// numbers, unset optional fields and empty repeated fields omitted), and decoding of the
// nested request messages (tags, params, metrics, dataset inputs).

#include <vector>

#include "common/json.h"
#include "common/json_writer.h"
#include "common/status.h"
#include "core/tracking_types.h"

namespace ferry::http {

void WriteExperiment(JsonWriter& w, const Experiment& e);
void WriteRunInfo(JsonWriter& w, const RunInfo& info);
void WriteRun(JsonWriter& w, const Run& run);
void WriteMetric(JsonWriter& w, const Metric& m);
void WriteKeyValues(JsonWriter& w, std::string_view field, const std::vector<KeyValue>& kvs);
void WriteFileInfos(JsonWriter& w, const std::vector<FileInfo>& files);

// Decoders. `field` names the request field for error messages.
absl::StatusOr<std::vector<KeyValue>> ParseKeyValues(const std::vector<const JsonValue*>& items,
                                                     std::string_view field, bool value_required);
absl::StatusOr<Metric> ParseMetric(const JsonValue& obj);
absl::StatusOr<std::vector<DatasetInput>> ParseDatasetInputs(
    const std::vector<const JsonValue*>& items);

}  // namespace ferry::http
