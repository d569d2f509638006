#pragma once
// Test helpers for monitoring/stats: the scipy vectors of tests/data/monitoring_vectors.json
// and the lcg32 streams they are computed on. Linked only into the stats tests.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/json.h"

namespace ferry::monitoring::testing {

// The parsed vectors file (loaded once; the test fails if it cannot be read).
const JsonValue& Vectors();

// The `cases` array of a section (or the section itself when it is an array). Fails the
// test when missing or empty.
const std::vector<JsonValue>& Cases(const std::string& section);

// A member of a case as a number; "inf" / "-inf" strings become infinities.
double Num(const JsonValue& obj, const std::string& key);
std::vector<double> Nums(const JsonValue& array);

// Rebuilds a generated stream {seed, n, transform, c} and checks its first three values
// and its sum against the ones recorded beside it.
std::vector<double> Stream(const JsonValue& spec);

// |actual - expected| <= rtol |expected|, with exact comparison for 0 and infinities.
::testing::AssertionResult RelNear(double actual, double expected, double rtol = 1e-9);

}  // namespace ferry::monitoring::testing
