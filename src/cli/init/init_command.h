#pragma once
// `ferry init [--template tabular|recommender] DIR`: writes a project that runs end to end
// as created (templates.h).

#include <string>
#include <vector>

namespace ferry::cli {

// 0 written, 1 failed (a non-empty DIR without --force, a write error), 2 usage.
int InitCommand(const std::vector<std::string>& args);

}  // namespace ferry::cli
