#include "serving/prediction_frames.h"

#include <gtest/gtest.h>

namespace ferry::serving {
namespace {

ModelSchema TabularSchema() {
  ModelSchema s;
  s.inputs.push_back({"x", DataType::kFp64, {-1, 2}, {"age", "income"}, false});
  s.outputs.push_back({"predictions", DataType::kInt64, {-1}, {}, false});
  s.outputs.push_back({"probabilities", DataType::kFp64, {-1, 2}, {"no", "yes"}, false});
  return s;
}

TEST(PredictionFrames, TwoDimensionalInputUsesTheSchemaColumnNames) {
  auto f = PredictionToFrames(TabularSchema(), {MakeFp64Tensor("x", {2, 2}, {30, 1000, 40, 2000})},
                              {MakeInt64Tensor("predictions", {2}, {0, 1}),
                               MakeFp64Tensor("probabilities", {2, 2}, {0.75, 0.25, 0.5, 0.5})});
  ASSERT_TRUE(f.ok()) << f.status();
  ASSERT_EQ(f->inputs.columns.size(), 2u);
  EXPECT_EQ(f->inputs.columns[0].name, "age");
  EXPECT_EQ(f->inputs.columns[1].name, "income");
  EXPECT_EQ(f->inputs.columns[0].numbers, (std::vector<double>{30, 40}));
  EXPECT_EQ(f->inputs.columns[1].numbers, (std::vector<double>{1000, 2000}));
  ASSERT_EQ(f->predictions.columns.size(), 3u);
  EXPECT_EQ(f->predictions.columns[0].name, "predictions");
  EXPECT_EQ(f->predictions.columns[0].numbers, (std::vector<double>{0, 1}));
  EXPECT_EQ(f->predictions.columns[1].name, "probabilities_no");
  EXPECT_EQ(f->predictions.columns[2].name, "probabilities_yes");
  EXPECT_EQ(f->predictions.columns[2].numbers, (std::vector<double>{0.25, 0.5}));
}

TEST(PredictionFrames, SchemaInputColumnsMatchTheConvertedNames) {
  EXPECT_EQ(SchemaInputColumns(TabularSchema()), (std::vector<std::string>{"age", "income"}));
  ModelSchema s;
  s.inputs.push_back({"city", DataType::kBytes, {-1}, {}, false});
  s.inputs.push_back({"v", DataType::kFp64, {-1, 2}, {}, false});
  s.inputs.push_back({"free", DataType::kFp64, {-1, -1}, {}, false});
  EXPECT_EQ(SchemaInputColumns(s), (std::vector<std::string>{"city", "v_0", "v_1"}));
}

TEST(PredictionFrames, OneTensorPerColumnWithBytesAsText) {
  ModelSchema s;
  s.inputs.push_back({"city", DataType::kBytes, {-1}, {}, false});
  s.inputs.push_back({"n", DataType::kInt32, {-1, 1}, {}, false});
  Tensor n{"n", DataType::kInt32, {2, 1}, std::string(8, '\0'), {}};
  n.MutableAs<int32_t>()[0] = 3;
  n.MutableAs<int32_t>()[1] = -4;
  auto f = PredictionToFrames(s, {MakeBytesTensor("city", {2}, {"Oslo", "Rome"}), n},
                              {MakeBytesTensor("predictions", {2}, {"a", "b"})});
  ASSERT_TRUE(f.ok()) << f.status();
  ASSERT_EQ(f->inputs.columns.size(), 2u);
  EXPECT_EQ(f->inputs.columns[0].name, "city");
  EXPECT_FALSE(f->inputs.columns[0].numeric);
  EXPECT_EQ(f->inputs.columns[0].strings, (std::vector<std::string>{"Oslo", "Rome"}));
  EXPECT_EQ(f->inputs.columns[1].name, "n");
  EXPECT_EQ(f->inputs.columns[1].numbers, (std::vector<double>{3, -4}));
  EXPECT_FALSE(f->predictions.columns[0].numeric);
  EXPECT_EQ(f->predictions.rows(), 2u);
}

TEST(PredictionFrames, ReusedFramesHoldOnlyTheLatestRecord) {
  PredictionFrames f;
  ASSERT_TRUE(PredictionToFrames(TabularSchema(), {MakeFp64Tensor("x", {2, 2}, {1, 2, 3, 4})},
                                 {MakeInt64Tensor("predictions", {2}, {0, 1})}, f)
                  .ok());
  ModelSchema one;
  one.inputs.push_back({"city", DataType::kBytes, {-1}, {}, false});
  ASSERT_TRUE(PredictionToFrames(one, {MakeBytesTensor("city", {1}, {"Oslo"})}, {}, f).ok());
  ASSERT_EQ(f.inputs.columns.size(), 1u);
  EXPECT_EQ(f.inputs.columns[0].name, "city");
  EXPECT_FALSE(f.inputs.columns[0].numeric);
  EXPECT_TRUE(f.inputs.columns[0].numbers.empty());
  EXPECT_EQ(f.inputs.columns[0].strings, (std::vector<std::string>{"Oslo"}));
  EXPECT_TRUE(f.predictions.columns.empty());
  ASSERT_TRUE(
      PredictionToFrames(TabularSchema(), {MakeFp64Tensor("x", {1, 2}, {5, 6})}, {}, f).ok());
  EXPECT_EQ(f.inputs.columns[1].name, "income");
  EXPECT_EQ(f.inputs.columns[1].numbers, (std::vector<double>{6}));
}

// A reused frame keeps a column's name when it is still right and renames it otherwise, in
// every naming form (spec names, <output>_<class>, <input>_<j>, the tensor's own name).
TEST(PredictionFrames, ReusedFramesRenameColumnsWhoseNamesChange) {
  PredictionFrames f;
  ModelSchema numbered;  // no specs: x_0, x_1; output "probabilities" [N, 2]: probabilities_0/1
  ModelSchema other;
  other.outputs.push_back({"probabilities", DataType::kFp64, {-1, 2}, {"0", "yes"}, false});
  other.inputs.push_back({"x", DataType::kFp64, {-1, 2}, {"x_0", "x_9"}, false});
  const auto probs = MakeFp64Tensor("probabilities", {1, 2}, {0.5, 0.5});
  auto names = [&f] {
    std::string out;
    for (const Column& c : f.inputs.columns) out += c.name + " ";
    for (const Column& c : f.predictions.columns) out += c.name + " ";
    return out;
  };
  ASSERT_TRUE(PredictionToFrames(numbered, {MakeFp64Tensor("x", {1, 2}, {1, 2})}, {probs}, f).ok());
  EXPECT_EQ(names(), "x_0 x_1 probabilities_0 probabilities_1 ");
  ASSERT_TRUE(PredictionToFrames(other, {MakeFp64Tensor("x", {1, 2}, {1, 2})}, {probs}, f).ok());
  EXPECT_EQ(names(), "x_0 x_9 probabilities_0 probabilities_yes ");
  ASSERT_TRUE(PredictionToFrames(TabularSchema(), {MakeFp64Tensor("x", {1, 2}, {1, 2})},
                                 {MakeFp64Tensor("x_1", {1}, {3})}, f)
                  .ok());
  EXPECT_EQ(names(), "age income x_1 ");
  ASSERT_TRUE(PredictionToFrames(numbered, {MakeFp64Tensor("x", {1, 2}, {1, 2})}, {probs}, f).ok());
  EXPECT_EQ(names(), "x_0 x_1 probabilities_0 probabilities_1 ");
}

TEST(PredictionFrames, UnnamedColumnsAreNumbered) {
  ModelSchema s;  // no specs at all
  auto f = PredictionToFrames(s, {MakeFp64Tensor("x", {1, 3}, {1, 2, 3})}, {});
  ASSERT_TRUE(f.ok()) << f.status();
  ASSERT_EQ(f->inputs.columns.size(), 3u);
  EXPECT_EQ(f->inputs.columns[2].name, "x_2");
  EXPECT_EQ(f->inputs.columns[2].numbers, (std::vector<double>{3}));
}

TEST(PredictionFrames, UnknownShapesAreErrorsNamingTheTensor) {
  ModelSchema s = TabularSchema();
  auto cube = PredictionToFrames(s, {MakeFp64Tensor("x", {1, 1, 2}, {1, 2})}, {});
  EXPECT_EQ(cube.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(cube.status().message().find("\"x\""), std::string::npos);
  auto scalar = PredictionToFrames(s, {MakeFp64Tensor("x", {}, {1})}, {});
  EXPECT_FALSE(scalar.ok());
  auto ragged = PredictionToFrames(s, {MakeFp64Tensor("x", {2, 2}, {1, 2, 3, 4})},
                                   {MakeInt64Tensor("predictions", {3}, {0, 1, 0})});
  EXPECT_NE(ragged.status().message().find("batch size 3 differs from 2"), std::string::npos);
  Tensor truncated = MakeFp64Tensor("x", {2, 2}, {1, 2, 3, 4});
  truncated.data.resize(8);
  EXPECT_FALSE(PredictionToFrames(s, {truncated}, {}).ok());
  EXPECT_FALSE(PredictionToFrames(s, {}, {}).ok());
}

}  // namespace
}  // namespace ferry::serving
