#pragma once
// Which resources a search may return to its caller: authorization inside the query
// (`ferry server --auth`), so pages stay full and page tokens stay right. Experiment ids or
// registered model names. The default lets everything through.

#include <optional>
#include <string>
#include <vector>

namespace ferry {

struct AccessScope {
  std::optional<std::vector<std::string>> only;  // set: nothing else
  std::vector<std::string> except;               // never these

  bool unrestricted() const { return !only && except.empty(); }
};

}  // namespace ferry
