#include "runtime/external/frame_csv.h"

#include <cmath>
#include <cstdio>

namespace ferry::runtime::external {
namespace {

void AppendText(std::string& out, const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) {
    out += s;
    return;
  }
  out += '"';
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

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
    AppendText(out, f.columns[j].name);
  }
  out += '\n';
  for (size_t i = 0; i < f.rows(); ++i) {
    for (size_t j = 0; j < f.columns.size(); ++j) {
      if (j > 0) out += ',';
      const Column& c = f.columns[j];
      if (c.numeric) {
        AppendNumber(out, c.numbers[i]);
      } else {
        AppendText(out, c.strings[i]);
      }
    }
    out += '\n';
  }
  return out;
}

}  // namespace ferry::runtime::external
