#include "runtime/linear_model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "common/fs.h"
#include "runtime/linear_family.h"
#include "runtime/testing/linear_test_util.h"

namespace ferry::runtime {
namespace {

LinearModel Multinomial() {
  LinearModel m;
  m.logistic = true;
  m.target = "species";
  m.features = {"x", "y"};
  m.mean = {1.5, -2};
  m.scale = {0.1, 3};
  m.classes = {"a", "b", "c"};
  m.coef = {0.1, 0.2, -0.3, 1.0 / 3, 0, 1e-300};
  m.intercept = {0.5, -0.25, 0.1};
  return m;
}

TEST(LinearModelTest, JsonRoundTripIsExact) {
  LinearModel m = Multinomial();
  auto back = ParseLinearModel(m.ToJson(), "model.json");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->coef, m.coef);  // 1/3 and 1e-300 survive exactly
  EXPECT_EQ(back->classes, m.classes);
  EXPECT_FALSE(back->integer_classes);
  EXPECT_EQ(back->target, "species");
  EXPECT_EQ(back->ToJson(), m.ToJson());
}

TEST(LinearModelTest, IntegerClassesAndFormat) {
  LinearModel m;
  m.logistic = true;
  m.features = {"f"};
  m.mean = {0};
  m.scale = {1};
  m.classes = {"-1", "1"};
  m.class_ints = {-1, 1};
  m.integer_classes = true;
  m.coef = {2};
  m.intercept = {0};
  EXPECT_EQ(m.ToJson(),
            "{\"format\":\"ferry-linear\",\"version\":1,\"family\":\"logistic\",\"target\":\"\","
            "\"features\":[\"f\"],\"mean\":[0.0],\"scale\":[1.0],\"classes\":[-1,1],"
            "\"coef\":[[2.0]],\"intercept\":[0.0]}\n");
  auto back = ParseLinearModel(m.ToJson(), "m");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->class_ints, (std::vector<int64_t>{-1, 1}));
  // x = 0.5: z = 1, p1 = sigmoid(1).
  std::vector<double> values;
  std::vector<int64_t> labels;
  double x = 0.5;
  back->Predict(&x, 1, values, labels);
  EXPECT_DOUBLE_EQ(values[1], 1 / (1 + std::exp(-1.0)));
  EXPECT_EQ(labels[0], 1);
  std::vector<Tensor> out = back->MakeOutputs(1, values, labels);
  EXPECT_EQ(out[0].As<int64_t>()[0], 1);
}

TEST(LinearModelTest, RejectsInconsistentFiles) {
  struct {
    const char* json;
    const char* error;
  } cases[] = {
      {"[1]", "m.json: \"format\" must be \"ferry-linear\""},
      {R"({"format":"ferry-linear","family":"tree"})",
       "m.json: \"family\" must be \"linear\" or \"logistic\""},
      {R"({"format":"ferry-linear","family":"linear","features":["a"],"mean":[0],"scale":[0],
           "coef":[[1]],"intercept":[0]})",
       "m.json: \"scale\" values must be > 0"},
      {R"({"format":"ferry-linear","family":"linear","features":["a"],"mean":[0,1],"scale":[1],
           "coef":[[1]],"intercept":[0]})",
       "m.json: \"mean\" and \"scale\" must hold one number per feature"},
      {R"({"format":"ferry-linear","family":"linear","features":["a","b"],"mean":[0,0],
           "scale":[1,1],"coef":[[1]],"intercept":[0]})",
       "m.json: each \"coef\" row must hold 2 numbers, one per feature"},
      {R"({"format":"ferry-linear","family":"logistic","features":["a"],"mean":[0],"scale":[1],
           "classes":[0,1,2],"coef":[[1]],"intercept":[0]})",
       "m.json: expected 3 \"coef\" rows and \"intercept\" values, got 1 and 1"},
      {R"({"format":"ferry-linear","family":"logistic","features":["a"],"mean":[0],"scale":[1],
           "classes":[0,"b"],"coef":[[1]],"intercept":[0]})",
       "m.json: \"classes\" must be all integers or all strings"},
  };
  for (const auto& c : cases) {
    auto m = ParseLinearModel(c.json, "m.json");
    ASSERT_FALSE(m.ok()) << c.json;
    EXPECT_EQ(m.status().code(), absl::StatusCode::kDataLoss);
    EXPECT_EQ(StatusMessage(m.status()), c.error);
  }
}

TEST(LinearModelTest, PredictorChecksInputsAndFamily) {
  std::string dir = testing::NewTempDir();
  ASSERT_TRUE(WriteLinearModel(Multinomial(), dir).ok());
  EXPECT_EQ(NewLinearFamily()->Load(ModelFiles{dir, {}}).status().code(),
            absl::StatusCode::kInvalidArgument);  // a logistic model
  EXPECT_EQ(NewLogisticFamily()->Load(ModelFiles{testing::NewTempDir(), {}}).status().code(),
            absl::StatusCode::kNotFound);
  auto predictor = NewLogisticFamily()->Load(ModelFiles{dir, {}});
  ASSERT_TRUE(predictor.ok()) << predictor.status();
  const ModelSchema& schema = (*predictor)->schema();
  EXPECT_EQ(schema.inputs[0].columns, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(schema.outputs[0].datatype, DataType::kBytes);

  // INT32 input is converted; results equal the FP64 ones.
  Tensor i32{"input", DataType::kInt32, {2, 2}, std::string(16, '\0'), {}};
  int32_t raw[] = {1, 2, 3, -4};
  std::memcpy(i32.data.data(), raw, sizeof(raw));
  std::vector<Tensor> a, b;
  ASSERT_TRUE((*predictor)->Predict({i32}, a).ok());
  ASSERT_TRUE((*predictor)->Predict({MakeFp64Tensor("input", {2, 2}, {1, 2, 3, -4})}, b).ok());
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].strings, b[0].strings);
  EXPECT_EQ(a[1].data, b[1].data);
  EXPECT_EQ(a[1].shape, (std::vector<int64_t>{2, 3}));

  std::vector<Tensor> out;
  EXPECT_EQ((*predictor)->Predict({MakeFp64Tensor("input", {1, 3}, {1, 2, 3})}, out).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ((*predictor)->Predict({MakeFp64Tensor("input", {1, 2}, {1, NAN})}, out).code(),
            absl::StatusCode::kInvalidArgument);
  // Zero rows give empty outputs.
  ASSERT_TRUE((*predictor)->Predict({MakeFp64Tensor("input", {0, 2}, {})}, out).ok());
  EXPECT_EQ(out[1].shape, (std::vector<int64_t>{0, 3}));
}

}  // namespace
}  // namespace ferry::runtime
