#pragma once
// The JSON form of a DataSchema (format "ferry.monitoring.schema", version 1; documented in
// docs/MONITORING.md, "Validation"). Reading is a parser of outside input: any byte sequence
// gives a schema or kInvalidArgument "<source>: <field path>: <reason>", e.g.
// `schema.json: columns[2].int_domain.min: expected an integer, got string`.

#include <string>
#include <string_view>

#include "common/status.h"
#include "monitoring/data/schema.h"

namespace ferry::monitoring {

inline constexpr std::string_view kSchemaFormat = "ferry.monitoring.schema";
inline constexpr int kSchemaVersion = 1;

// Pretty-printed (two-space indent), one column per array element, ending in a newline.
std::string WriteSchemaJson(const DataSchema& schema);

// Rejects unknown and duplicate fields (a misspelt constraint must not be ignored), domains
// that do not match the column's type, out-of-range values (fractions outside [0, 1],
// negative counts, min > max) and duplicate column names or domain values.
absl::StatusOr<DataSchema> ParseSchemaJson(std::string_view text,
                                           std::string_view source = "<schema>");

}  // namespace ferry::monitoring
