#include "monitoring/stats/stats_test_util.h"

#include <cmath>
#include <cstdint>
#include <iomanip>
#include <limits>

#include "common/fs.h"

namespace ferry::monitoring::testing {
namespace {

JsonValue Load() {
  auto text = ReadFile(std::string(FERRY_TEST_DATA_DIR) + "/monitoring_vectors.json");
  EXPECT_TRUE(text.ok()) << text.status();
  if (!text.ok()) return JsonValue();
  auto json = ParseJson(*text);
  EXPECT_TRUE(json.ok()) << json.status();
  return json.ok() ? std::move(*json) : JsonValue();
}

std::vector<double> Lcg32(uint32_t seed, int64_t n) {
  std::vector<double> out(static_cast<size_t>(n));
  uint32_t s = seed;
  for (auto& u : out) {
    s = 1664525u * s + 1013904223u;  // mod 2^32 by unsigned wrap-around
    u = (static_cast<double>(s) + 0.5) / 4294967296.0;
  }
  return out;
}

// Neumaier-compensated sum, close enough to math.fsum for a 1e-9 check.
double CompensatedSum(const std::vector<double>& values) {
  double sum = 0;
  double carry = 0;
  for (double x : values) {
    const double t = sum + x;
    carry += std::abs(sum) >= std::abs(x) ? (sum - t) + x : (x - t) + sum;
    sum = t;
  }
  return sum + carry;
}

}  // namespace

const JsonValue& Vectors() {
  static const JsonValue* vectors = new JsonValue(Load());
  return *vectors;
}

const std::vector<JsonValue>& Cases(const std::string& section) {
  static const std::vector<JsonValue> kEmpty;
  const JsonValue* s = Vectors().Find(section);
  EXPECT_NE(s, nullptr) << section;
  if (s == nullptr) return kEmpty;
  const JsonValue* cases = s->is_array() ? s : s->Find("cases");
  EXPECT_TRUE(cases != nullptr && cases->is_array() && !cases->items().empty()) << section;
  return cases != nullptr && cases->is_array() ? cases->items() : kEmpty;
}

double Num(const JsonValue& obj, const std::string& key) {
  const JsonValue* v = obj.Find(key);
  EXPECT_NE(v, nullptr) << key;
  if (v == nullptr) return std::numeric_limits<double>::quiet_NaN();
  if (v->is_string()) {
    if (v->as_string() == "inf") return std::numeric_limits<double>::infinity();
    if (v->as_string() == "-inf") return -std::numeric_limits<double>::infinity();
    ADD_FAILURE() << key << " is the string " << v->as_string();
    return std::numeric_limits<double>::quiet_NaN();
  }
  return v->as_double();
}

std::vector<double> Nums(const JsonValue& array) {
  std::vector<double> out;
  for (const JsonValue& v : array.items()) out.push_back(v.as_double());
  return out;
}

std::vector<double> Stream(const JsonValue& spec) {
  const auto seed = static_cast<uint32_t>(spec.Find("seed")->as_int());
  std::vector<double> u = Lcg32(seed, spec.Find("n")->as_int());
  const std::string& t = spec.Find("transform")->as_string();
  const double c = spec.Find("c") != nullptr ? spec.Find("c")->as_double() : 0.0;
  for (double& v : u) {
    if (t == "u+c") {
      v = v + c;
    } else if (t == "u*c") {
      v = v * c;
    } else if (t == "u*u") {
      v = v * v;
    } else if (t == "floor(u*c)") {
      v = std::floor(v * c);
    } else {
      EXPECT_EQ(t, "u");
    }
  }
  const std::vector<double> first3 = Nums(*spec.Find("first3"));
  for (size_t i = 0; i < first3.size(); ++i) EXPECT_TRUE(RelNear(u[i], first3[i])) << i;
  EXPECT_TRUE(RelNear(CompensatedSum(u), Num(spec, "sum")));
  return u;
}

::testing::AssertionResult RelNear(double actual, double expected, double rtol) {
  if (std::isnan(actual)) return ::testing::AssertionFailure() << "actual is NaN";
  if (expected == 0 || std::isinf(expected)) {
    if (actual == expected) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << actual << " != exact " << expected;
  }
  const double err = std::abs(actual - expected);
  if (err <= rtol * std::abs(expected)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << std::setprecision(17) << actual << " vs " << expected
                                       << " (relative error " << err / std::abs(expected) << ")";
}

}  // namespace ferry::monitoring::testing
