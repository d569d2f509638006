#pragma once
// Helpers shared by the linear family tests: data sets from tests/data, temp dirs, training.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <string>

#include "common/testing/test_dir.h"
#include "core/frame_reader.h"
#include "runtime/linear_trainer.h"

namespace ferry::runtime::testing {

inline Frame LoadDataSet(const std::string& file) {
  auto frame = ReadFrame(std::string(FERRY_TEST_DATA_DIR) + "/" + file);
  EXPECT_TRUE(frame.ok()) << frame.status();
  return frame.ok() ? *std::move(frame) : Frame{};
}

// A fresh empty directory (left for the test binary's temp area; the trained files are read
// after the helper returns).
inline std::string NewTempDir() { return ferry::testing::TestDir("ferry-linear").Release(); }

struct Trained {
  absl::StatusOr<TrainResult> result;
  std::string dir;
};

inline Trained TrainOn(LinearTrainer& trainer, const Frame& train, const Frame* test,
                       std::map<std::string, std::string> params = {},
                       const std::string& target = "target") {
  Trained t{absl::UnknownError("not run"), NewTempDir()};
  TrainSpec spec;
  spec.train = &train;
  spec.test = test;
  spec.target = target;
  spec.params = std::move(params);
  spec.output_dir = t.dir;
  t.result = trainer.Train(spec);
  return t;
}

}  // namespace ferry::runtime::testing
