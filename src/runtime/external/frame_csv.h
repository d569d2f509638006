#pragma once
// Writes a Frame as CSV for external trainers: a header of column names, numbers with 17
// significant digits (round-trip exact), NaN and "" as empty cells, RFC 4180 quoting for text
// holding a comma, quote, CR or LF.

#include <string>

#include "core/frame.h"

namespace ferry::runtime::external {

std::string FrameToCsv(const Frame& f);

}  // namespace ferry::runtime::external
