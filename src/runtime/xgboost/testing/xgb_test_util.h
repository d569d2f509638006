#pragma once
// Helpers for the runtime family tests in this branch (xgboost, recommender, external):
// temporary directories and the numeric fixtures in tests/data.
// Test-only; nothing in src/ outside *_test.cc includes it.

#include <cstdio>
#include <string>
#include <vector>

#include "common/testing/test_dir.h"
#include "core/frame.h"
#include "core/frame_reader.h"

#ifndef FERRY_SOURCE_DIR
#error "tests define FERRY_SOURCE_DIR"
#endif

namespace ferry::runtime::testing {

// A fresh directory, removed by the destructor (Sub makes subdirectories).
using TempDir = ferry::testing::TestDir;

inline std::string DataPath(const std::string& name) {
  return std::string(FERRY_SOURCE_DIR) + "/tests/data/" + name;
}

// Reads a CSV fixture with ReadFrame; an empty frame (and a logged error) when it
// cannot be read.
inline Frame ReadNumericCsv(const std::string& path) {
  absl::StatusOr<Frame> frame = ReadFrame(path);
  if (!frame.ok()) {
    std::fprintf(stderr, "%s\n", std::string(StatusMessage(frame.status())).c_str());
    return Frame{};
  }
  return *std::move(frame);
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
