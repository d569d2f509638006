#pragma once
// The Python worker's source (ferry_worker.py), embedded at configure time.

#include <string_view>

namespace ferry::runtime::python {

std::string_view WorkerScript();

}  // namespace ferry::runtime::python
