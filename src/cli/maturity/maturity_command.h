#pragma once
// `ferry maturity [--server URL] [DIR] [--format text|json]`: the project's MLOps maturity
// (ML Test Score and Google's levels) from what Ferry observes.

#include <string>
#include <vector>

namespace ferry::cli {

// 0 assessed (whatever the level), 1 DIR is no directory, 2 usage.
int MaturityCommand(const std::vector<std::string>& args);

}  // namespace ferry::cli
