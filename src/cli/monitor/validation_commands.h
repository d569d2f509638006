#pragma once
// `ferry monitor schema` and `ferry monitor validate` (schema_command.cc,
// validate_command.cc): TFDV-style schema inference and validation of data files.

#include <string>
#include <vector>

namespace ferry::cli {

// Exit codes: 0 written, 1 the data could not be read or the schema not written, 2 usage.
int MonitorSchemaCommand(const std::vector<std::string>& args);
// Exit codes: 0 no blocking anomaly (warnings allowed), 1 a blocking anomaly or unreadable
// data or schema, 2 usage.
int MonitorValidateCommand(const std::vector<std::string>& args);

}  // namespace ferry::cli
