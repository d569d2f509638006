#pragma once
// `ferry monitor profile` and `ferry monitor show` (profile_command.cc, show_command.cc), and
// the profiling of a data file that `ferry package build --reference-data` shares.

#include <string>
#include <vector>

#include "common/status.h"
#include "monitoring/profile/dataset_profile.h"

namespace ferry::cli {

int MonitorProfileCommand(const std::vector<std::string>& args);
int MonitorShowCommand(const std::vector<std::string>& args);

// Reads DATA (CSV, TSV or JSON lines; core/frame_reader.h) and profiles it.
absl::StatusOr<monitoring::DatasetProfile> ProfileDataFile(
    const std::string& path, const monitoring::ProfileOptions& options = {});

}  // namespace ferry::cli
