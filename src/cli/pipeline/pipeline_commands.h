#pragma once
// `ferry pipeline <command>`: one file per sub-command, dispatched by pipeline_command.cc.

#include <string>
#include <vector>

namespace ferry::cli {

int PipelineRunCommand(const std::vector<std::string>& args);
int PipelineStatusCommand(const std::vector<std::string>& args);
int PipelineLogsCommand(const std::vector<std::string>& args);
int PipelineCancelCommand(const std::vector<std::string>& args);
int PipelineListCommand(const std::vector<std::string>& args);
int PipelineGcCommand(const std::vector<std::string>& args);
int PipelineWatchCommand(const std::vector<std::string>& args);

}  // namespace ferry::cli
