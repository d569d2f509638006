#pragma once
// `ferry pipeline ...`: run pipelines (pipeline.yaml) and look at their runs.

#include <string>
#include <vector>

namespace ferry::cli {

int PipelineCommand(const std::vector<std::string>& args);

}  // namespace ferry::cli
