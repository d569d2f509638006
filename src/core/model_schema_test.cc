#include "core/model_schema.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "core/frame.h"

namespace ferry {
namespace {

ModelSchema TabularSchema() {
  ModelSchema s;
  s.inputs.push_back({"input", DataType::kFp64, {-1, 3}, {"a", "b", "c"}, false});
  s.outputs.push_back({"predictions", DataType::kFp64, {-1}, {}, false});
  return s;
}

Tensor Fp32(std::string name, std::vector<int64_t> shape, std::vector<float> v) {
  Tensor t{std::move(name), DataType::kFp32, std::move(shape), {}, {}};
  t.data.assign(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(float));
  return t;
}

TEST(TensorTest, DataTypeNamesRoundTrip) {
  for (int i = 0; i <= static_cast<int>(DataType::kBf16); ++i) {
    const auto t = static_cast<DataType>(i);
    EXPECT_EQ(ParseDataType(DataTypeName(t)), t);
    EXPECT_EQ(ParsePackageDataType(DataTypePackageName(t)), t);
  }
  EXPECT_FALSE(ParseDataType("fp32").has_value());  // OIP names are case-sensitive
  EXPECT_EQ(ParsePackageDataType("double"), DataType::kFp64);
  EXPECT_EQ(ParsePackageDataType("string"), DataType::kBytes);
  EXPECT_EQ(DataTypeSize(DataType::kFp16), 2);
  EXPECT_EQ(DataTypeSize(DataType::kBytes), 0);
}

TEST(TensorTest, ElementAsDoubleWidensEveryType) {
  Tensor half{"h", DataType::kFp16, {3}, {}, {}};
  const uint16_t halves[] = {0x3c00 /*1.0*/, 0xc000 /*-2.0*/, 0x0001 /*2^-24*/};
  half.data.assign(reinterpret_cast<const char*>(halves), sizeof halves);
  EXPECT_EQ(ElementAsDouble(half, 0), 1.0);
  EXPECT_EQ(ElementAsDouble(half, 1), -2.0);
  EXPECT_EQ(ElementAsDouble(half, 2), std::ldexp(1.0, -24));
  Tensor bf{"b", DataType::kBf16, {1}, {}, {}};
  const uint16_t b = 0x4040;  // 3.0
  bf.data.assign(reinterpret_cast<const char*>(&b), 2);
  EXPECT_EQ(ElementAsDouble(bf, 0), 3.0);
  Tensor i8{"i", DataType::kInt8, {1}, std::string(1, static_cast<char>(-5)), {}};
  EXPECT_EQ(ToDoubles(i8), std::vector<double>{-5.0});
}

TEST(TensorTest, ShapeElementCountRejectsOverflowAndNegatives) {
  EXPECT_EQ(*ShapeElementCount({2, 3, 4}), 24);
  EXPECT_EQ(*ShapeElementCount({}), 1);
  EXPECT_EQ(*ShapeElementCount({0, 7}), 0);
  EXPECT_FALSE(ShapeElementCount({-1, 2}).ok());
  EXPECT_FALSE(ShapeElementCount({int64_t{1} << 32, int64_t{1} << 32}).ok());
  EXPECT_FALSE(ShapeElementCount({1000, 1000}, 999'999).ok());
}

TEST(ModelSchemaTest, AcceptsAnyNumericTypeWithTheRightShape) {
  const ModelSchema s = TabularSchema();
  EXPECT_TRUE(CheckInputs(s, {Fp32("input", {2, 3}, {1, 2, 3, 4, 5, 6})}).ok());
  EXPECT_TRUE(CheckInputs(s, {MakeInt64Tensor("input", {1, 3}, {1, 2, 3})}).ok());
}

TEST(ModelSchemaTest, ErrorsNameTheInputAndTheReason) {
  const ModelSchema s = TabularSchema();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  static const struct {
    std::vector<Tensor> inputs;
    const char* message;
  } cases[] = {
      {{}, "missing input \"input\""},
      {{Fp32("x", {1, 3}, {1, 2, 3})}, "unknown input \"x\""},
      {{Fp32("input", {1, 2}, {1, 2})}, "input \"input\": expected shape [-1,3], got [1,2]"},
      {{Fp32("input", {3}, {1, 2, 3})}, "input \"input\": expected shape [-1,3], got [3]"},
      {{MakeBytesTensor("input", {1, 3}, {"a", "b", "c"})},
       "input \"input\": datatype BYTES not accepted, expected FP64 (or another numeric type)"},
      {{MakeFp64Tensor("input", {1, 3}, {1, nan, 3})},
       "input \"input\": NaN at element 1 is not allowed"},
      {{Fp32("input", {2, 3}, {1, 2, 3})},
       "input \"input\": shape [2,3] needs 6 elements, data holds a different amount"},
      {{Fp32("input", {1, 3}, {1, 2, 3}), Fp32("input", {1, 3}, {1, 2, 3})},
       "input \"input\" given more than once"},
  };
  for (const auto& c : cases) {
    const absl::Status st = CheckInputs(s, c.inputs);
    EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument) << c.message;
    EXPECT_EQ(st.message(), c.message);
  }
}

TEST(ModelSchemaTest, BatchSizesMustAgreeAcrossInputs) {
  ModelSchema s;
  s.inputs.push_back({"a", DataType::kFp64, {-1}, {}, false});
  s.inputs.push_back({"b", DataType::kBytes, {-1}, {}, false});
  const absl::Status st = CheckInputs(
      s, {MakeFp64Tensor("a", {2}, {1, 2}), MakeBytesTensor("b", {3}, {"x", "y", "z"})});
  EXPECT_EQ(st.message(), "input \"b\": batch size 3 differs from 2 of input \"a\"");
  s.inputs[0].allow_nan = true;
  EXPECT_TRUE(
      CheckInputs(s, {MakeFp64Tensor("a", {1}, {std::nan("")}), MakeBytesTensor("b", {1}, {"x"})})
          .ok());
}

TEST(ModelSchemaTest, OptionalInputsMayBeLeftOut) {
  ModelSchema s;
  s.inputs.push_back({"a", DataType::kFp64, {-1}, {}, false});
  s.inputs.push_back({"opt", DataType::kFp64, {-1}, {}, false, /*required=*/false});
  EXPECT_TRUE(CheckInputs(s, {MakeFp64Tensor("a", {1}, {1})}).ok());
  EXPECT_TRUE(
      CheckInputs(s, {MakeFp64Tensor("a", {1}, {1}), MakeFp64Tensor("opt", {1}, {2})}).ok());
  EXPECT_EQ(CheckInputs(s, {MakeFp64Tensor("opt", {1}, {2})}).message(), "missing input \"a\"");
}

// An MLflow model without a signature takes whatever columns a request carries.
TEST(ModelSchemaTest, NoInputsTakesAnyColumnsOfOneBatch) {
  const ModelSchema s;
  EXPECT_TRUE(
      CheckInputs(s, {MakeFp64Tensor("x", {2}, {1, 2}), MakeBytesTensor("y", {2}, {"a", "b"})})
          .ok());
  EXPECT_EQ(CheckInputs(s, {MakeFp64Tensor("x", {2}, {1, 2}), MakeBytesTensor("y", {1}, {"a"})})
                .message(),
            "input \"y\": batch size 1 differs from 2 of input \"x\"");
}

TEST(FrameTest, TakeKeepsColumnKinds) {
  Frame f;
  f.columns.push_back({"x", true, {1, 2, 3}, {}});
  f.columns.push_back({"s", false, {}, {"a", "b", "c"}});
  const Frame t = f.Take({2, 0});
  ASSERT_EQ(t.rows(), 2u);
  EXPECT_EQ(t.Find("x")->numbers, (std::vector<double>{3, 1}));
  EXPECT_EQ(t.Find("s")->strings, (std::vector<std::string>{"c", "a"}));
  EXPECT_EQ(f.Find("nope"), nullptr);
}

}  // namespace
}  // namespace ferry
