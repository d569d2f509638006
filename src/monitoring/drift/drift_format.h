#pragma once
// Serialisations of a DatasetDrift: the JSON that tests and tools rely on, and a plain-text
// table for people. Pure.

#include <string>

#include "monitoring/drift/drift_engine.h"

namespace ferry::monitoring {

// Exactly {"dataset_drift": bool, "drift_share": f, "number_of_columns": n,
// "number_of_drifted_columns": n, "columns": {COL: {"column_type": "num"|"cat",
// "stattest": NAME, "statistic": f, "p_value": f|null, "threshold": f,
// "drift_detected": bool}}}. Skipped columns are not listed. Every number is finite.
std::string DriftToJson(const DatasetDrift& drift);

// A headline, one line per tested column (drifted first) and one per skipped column.
std::string DriftToText(const DatasetDrift& drift);

// "Drift is detected for 40% of columns (2 out of 5)" (Evidently's DataDriftTable title).
std::string DriftTitle(const DatasetDrift& drift);

// `text` with control characters (bytes < 0x20 and 0x7F) replaced by '?', so that a column
// name or value cannot drive the terminal that shows the text output.
std::string Printable(std::string_view text);

// Tested columns with drifted ones first, each group in input order.
std::vector<const ColumnDrift*> DriftedFirst(const DatasetDrift& drift);

}  // namespace ferry::monitoring
