#pragma once
// Which resources a search may return to its caller: authorization inside the query
// (`ferry server --auth`), so pages stay full and page tokens stay right. Experiment ids or
// registered model names, and the workspace (`--enable-workspaces`) a search stays in. The
// default lets everything through.

#include <optional>
#include <string>
#include <vector>

namespace ferry {

struct AccessScope {
  std::optional<std::vector<std::string>> only;  // set: nothing else
  std::vector<std::string> except;               // never these
  std::string workspace;                         // non-empty: only this workspace's

  bool unrestricted() const { return !only && except.empty() && workspace.empty(); }
};

}  // namespace ferry
