#pragma once
// The drift, report and bias sub-commands of `ferry monitor`, each in its own file. Each takes
// the arguments after its name and returns the exit code (flags.h: 0, 1, 2).

#include <string>
#include <vector>

namespace ferry::cli {

int MonitorDriftCommand(const std::vector<std::string>& args);
int MonitorReportCommand(const std::vector<std::string>& args);
int MonitorBiasCommand(const std::vector<std::string>& args);

}  // namespace ferry::cli
