#pragma once
// Helpers for the runtime family tests in this branch (xgboost, recommender, external):
// temporary directories and a minimal CSV reader for the numeric fixtures in tests/data.
// Test-only; nothing in src/ outside *_test.cc includes it.

#include <stdlib.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/frame.h"

#ifndef FERRY_SOURCE_DIR
#error "tests define FERRY_SOURCE_DIR"
#endif

namespace ferry::runtime::testing {

// A fresh directory under the test temp dir, removed by the destructor.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = std::filesystem::temp_directory_path().string() + "/ferry-rt-XXXXXX";
    path_ = ::mkdtemp(tmpl.data()) != nullptr ? tmpl : "";
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string Sub(const std::string& name) const {
    std::filesystem::create_directories(path_ + "/" + name);
    return path_ + "/" + name;
  }

 private:
  std::string path_;
};

inline std::string DataPath(const std::string& name) {
  return std::string(FERRY_SOURCE_DIR) + "/tests/data/" + name;
}

// Reads a CSV of numbers with a header line (no quoting); empty cells become NaN.
inline Frame ReadNumericCsv(const std::string& path) {
  Frame f;
  std::ifstream in(path);
  std::string line;
  if (!std::getline(in, line)) return f;
  std::stringstream header(line);
  for (std::string name; std::getline(header, name, ',');) {
    Column c;
    c.name = name;
    f.columns.push_back(std::move(c));
  }
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::stringstream row(line);
    std::string cell;
    for (Column& c : f.columns) {
      std::getline(row, cell, ',');
      c.numbers.push_back(cell.empty() ? std::nan("") : std::stod(cell));
    }
  }
  return f;
}

// A frame of empty numeric columns named `names`.
inline Frame NumericFrame(const std::vector<std::string>& names) {
  Frame f;
  for (const std::string& n : names) {
    Column c;
    c.name = n;
    f.columns.push_back(std::move(c));
  }
  return f;
}

// Splits rows i % k == 0 into the second frame.
inline std::pair<Frame, Frame> SplitEveryK(const Frame& f, size_t k) {
  std::vector<size_t> a, b;
  for (size_t i = 0; i < f.rows(); ++i) (i % k == 0 ? b : a).push_back(i);
  return {f.Take(a), f.Take(b)};
}

}  // namespace ferry::runtime::testing
