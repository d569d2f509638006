#pragma once
// JSON encoding of model registry entities in MLflow's wire form (proto field names, int64
// timestamps as numbers, model version numbers as strings, empty optional fields omitted).

#include "common/json_writer.h"
#include "core/registry_types.h"

namespace ferry::http {

void WriteModelVersion(JsonWriter& w, const ModelVersion& v);
void WriteRegisteredModel(JsonWriter& w, const RegisteredModel& m);
// `"field": [versions...]`, omitted when empty.
void WriteModelVersions(JsonWriter& w, std::string_view field,
                        const std::vector<ModelVersion>& versions);

}  // namespace ferry::http
