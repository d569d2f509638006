#include "runtime/mlflow/signature.h"

#include <gtest/gtest.h>

namespace ferry::runtime::mlflow {
namespace {

TEST(SignatureTest, ColumnsBecomeOneInputEach) {
  auto specs = ParseSignatureSide(
      R"([{"type": "double", "name": "a", "required": true},
          {"type": "float", "name": "b"}, {"type": "long", "name": "c"},
          {"type": "integer", "name": "d"}, {"type": "boolean", "name": "e"},
          {"type": "string", "name": "f"}, {"type": "binary", "name": "g"}])",
      "signature.inputs", "input");
  ASSERT_TRUE(specs.ok()) << specs.status();
  const DataType want[] = {DataType::kFp64, DataType::kFp32,  DataType::kInt64, DataType::kInt32,
                           DataType::kBool, DataType::kBytes, DataType::kBytes};
  const char* names[] = {"a", "b", "c", "d", "e", "f", "g"};
  ASSERT_EQ(specs->size(), 7u);
  for (size_t i = 0; i < 7; ++i) {
    EXPECT_EQ((*specs)[i].name, names[i]);
    EXPECT_EQ((*specs)[i].datatype, want[i]) << names[i];
    EXPECT_EQ((*specs)[i].shape, std::vector<int64_t>{-1});
  }
  EXPECT_TRUE((*specs)[0].allow_nan);
  EXPECT_FALSE((*specs)[2].allow_nan);
}

TEST(SignatureTest, OptionalColumnsMayBeLeftOut) {
  auto specs = ParseSignatureSide(
      R"([{"type": "double", "name": "a", "required": false}, {"type": "long", "name": "b"}])",
      "signature.inputs", "input");
  ASSERT_TRUE(specs.ok()) << specs.status();
  EXPECT_FALSE((*specs)[0].required);
  EXPECT_TRUE((*specs)[1].required);  // absent: required, as in MLflow
  auto bad = ParseSignatureSide(R"([{"type": "double", "name": "a", "required": "no"}])",
                                "signature.inputs", "input");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("signature.inputs[0].required"), std::string::npos)
      << bad.status();
}

TEST(SignatureTest, UnnamedColumnsAreNamedByPosition) {
  auto specs = ParseSignatureSide(R"([{"type": "double"}, {"type": "double"}])", "s", "input");
  ASSERT_TRUE(specs.ok()) << specs.status();
  EXPECT_EQ((*specs)[0].name, "0");
  EXPECT_EQ((*specs)[1].name, "1");
}

TEST(SignatureTest, TensorsKeepNameDtypeAndShape) {
  auto specs = ParseSignatureSide(
      R"([{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 28, 28]},
           "name": "image"},
          {"type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}, "name": "id"}])",
      "signature.inputs", "input");
  ASSERT_TRUE(specs.ok()) << specs.status();
  EXPECT_EQ((*specs)[0].name, "image");
  EXPECT_EQ((*specs)[0].datatype, DataType::kFp32);
  EXPECT_EQ((*specs)[0].shape, (std::vector<int64_t>{-1, 28, 28}));
  EXPECT_EQ((*specs)[1].datatype, DataType::kInt64);
}

TEST(SignatureTest, AnUnnamedTensorTakesTheDefaultName) {
  auto specs = ParseSignatureSide(
      R"([{"type": "tensor", "tensor-spec": {"dtype": "float64", "shape": [-1, 3]}}])",
      "signature.outputs", "output");
  ASSERT_TRUE(specs.ok()) << specs.status();
  EXPECT_EQ((*specs)[0].name, "output");
}

TEST(SignatureTest, EmptyAndNullGiveNoSpecs) {
  for (const char* text : {"", "null", "[]"}) {
    auto specs = ParseSignatureSide(text, "s", "input");
    ASSERT_TRUE(specs.ok()) << text;
    EXPECT_TRUE(specs->empty()) << text;
  }
}

TEST(SignatureTest, ErrorsNameTheFieldAndTheReason) {
  static const struct {
    const char* json;
    const char* expected;
  } kCases[] = {
      {R"({"type": "double"})", "signature.inputs: expected a JSON list"},
      {R"([3])", "signature.inputs[0]: expected an object"},
      {R"([{"name": "a"}])", "signature.inputs[0].type: missing"},
      {R"([{"type": "datetime", "name": "t"}])", "signature.inputs[0].type: \"datetime\""},
      {R"([{"type": "array", "name": "t"}])", "complex types"},
      {R"([{"type": "decimal", "name": "t"}])", "unknown column type \"decimal\""},
      {R"([{"type": "double", "name": 3}])", "signature.inputs[0].name: expected a string"},
      {R"([{"type": "double", "name": "a"}, {"type": "double", "name": "a"}])",
       "signature.inputs[1].name: \"a\" appears twice"},
      {R"([{"type": "double", "name": "a"}, {"type": "tensor", "tensor-spec": {}}])",
       "signature.inputs[1]: mixes column and tensor specs"},
      {R"([{"type": "tensor"}])", "signature.inputs[0].tensor-spec: missing"},
      {R"([{"type": "tensor", "tensor-spec": {"dtype": "complex128", "shape": [-1]}}])",
       "unknown dtype \"complex128\""},
      {R"([{"type": "tensor", "tensor-spec": {"dtype": "float64", "shape": [-2]}}])",
       "tensor-spec.shape: expected integers >= -1"},
      {R"([{"type": "tensor", "tensor-spec": {"dtype": "float64"}}])",
       "tensor-spec.shape: expected a list"},
  };
  for (const auto& c : kCases) {
    auto specs = ParseSignatureSide(c.json, "signature.inputs", "input");
    ASSERT_FALSE(specs.ok()) << c.json;
    EXPECT_NE(std::string(specs.status().message()).find(c.expected), std::string::npos)
        << c.json << "\n  got: " << specs.status().message();
  }
}

}  // namespace
}  // namespace ferry::runtime::mlflow
