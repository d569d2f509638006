#pragma once
// The ML Test Score's 28 tests scored from the signals (ml_test_score.cc).

#include <vector>

#include "pipeline/maturity/maturity.h"
#include "pipeline/maturity/signals.h"

namespace ferry::pipeline::maturity {

std::vector<TestResult> ScoreTests(const Signals& g);

}  // namespace ferry::pipeline::maturity
