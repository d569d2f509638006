#include "runtime/external/frame_csv.h"

#include <cmath>
#include <cstdio>

#include "common/csv.h"

namespace ferry::runtime::external {
namespace {

void AppendNumber(std::string& out, double v) {
  if (std::isnan(v)) return;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  out += buf;
}

}  // namespace

std::string FrameToCsv(const Frame& f) {
  std::string out;
  for (size_t j = 0; j < f.columns.size(); ++j) {
    if (j > 0) out += ',';
    AppendCsvField(out, f.columns[j].name);
  }
  out += '\n';
  for (size_t i = 0; i < f.rows(); ++i) {
    for (size_t j = 0; j < f.columns.size(); ++j) {
      if (j > 0) out += ',';
      const Column& c = f.columns[j];
      if (c.numeric) {
        AppendNumber(out, c.numbers[i]);
      } else {
        AppendCsvField(out, c.strings[i]);
      }
    }
    out += '\n';
  }
  return out;
}

}  // namespace ferry::runtime::external
