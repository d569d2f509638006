#pragma once
// `ferry package <sub>`: build, inspect, verify, export, import and unpack model packages
// (OCI image layouts holding a CNCF ModelPack manifest; see docs/PACKAGES.md).

#include <string>
#include <vector>

namespace ferry::cli {

// Returns the process exit code: 0 success, 1 failure, 2 usage error.
int PackageCommand(const std::vector<std::string>& args);

// `ferry package build`; in its own file (package_build.cc).
int PackageBuildCommand(const std::vector<std::string>& args);

}  // namespace ferry::cli
