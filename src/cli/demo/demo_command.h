#pragma once
// `ferry demo`: the whole loop on this machine (docs/DEMO.md).

#include <string>
#include <vector>

namespace ferry::cli {

// 0 when the loop ran through (drift detected, a new version promoted, no request failed),
// 1 otherwise, 2 usage.
int DemoCommand(const std::vector<std::string>& args);

}  // namespace ferry::cli
