#pragma once
// Validation of a table against a schema, as TFDV's validate_statistics does for flat data:
// dataset size, missing and new columns, presence, types, numeric ranges, NaN and
// infinities, unexpected categories. Each anomaly (anomaly.h) says what was found in one
// sentence. Values are typed cell by cell (value_kind.h).

#include "core/frame_reader.h"
#include "monitoring/data/anomaly.h"
#include "monitoring/data/column_summary.h"
#include "monitoring/data/schema.h"

namespace ferry::monitoring {

// Anomalies in the order: dataset, the schema's columns in its order, then new columns.
ValidationResult Validate(const DataSchema& schema, const TextTable& table);

// The checks of one column's values (type, range, NaN/inf, domain) against its schema;
// appended to `out`. validate_values.cc.
void ValidateValues(const ColumnSchema& column, const ColumnSummary& summary,
                    std::vector<Anomaly>& out);

// An anomaly of `kind` (severity from AnomalyKinds()).
Anomaly MakeAnomaly(std::string column, std::string_view kind, std::string description,
                    int64_t count = 0);

}  // namespace ferry::monitoring
