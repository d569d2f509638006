// MLflow scoring bodies onto a schema, without HTTP: every format, CSV, and the errors.

#include "http/handlers/inference/invocations_codec.h"

#include <string>

#include "gtest/gtest.h"

namespace ferry::http {
namespace {

ModelSchema Tabular() {
  ModelSchema s;
  s.inputs.push_back({"x", DataType::kFp64, {-1, 3}, {"a", "b", "c"}, false});
  s.outputs.push_back({"y", DataType::kFp64, {-1}, {}, false});
  return s;
}

ModelSchema Sessions() {
  ModelSchema s;
  s.inputs.push_back({"session", DataType::kBytes, {-1}, {}, false});
  return s;
}

TEST(InvocationsCodecTest, TabularFormatsGiveTheSameMatrix) {
  static const char* kBodies[] = {
      R"({"dataframe_split":{"columns":["c","a","b","extra"],"data":[[3,1,2,"x"],[6,4,5,null]]}})",
      R"({"dataframe_split":{"index":[0,1],"columns":["a","b","c"],"data":[[1,2,3],[4,5,6]]},
          "params":{"k":1}})",
      R"({"dataframe_records":[{"a":1,"b":2,"c":3},{"c":6,"b":5,"a":4,"z":"ignored"}]})",
      R"({"instances":[[1,2,3],[4,5,6]]})",
      R"({"dataframe_split":{"data":[[1,2,3],[4,5,6]]}})",  // no columns: by position
      R"({"instances":[{"a":1,"b":2,"c":3},{"a":4,"b":5,"c":6}]})",
      R"({"inputs":[[1,2,3],[4,5,6]]})",
      R"({"inputs":{"a":[1,4],"b":[2,5],"c":[3,6.0]}})",
  };
  for (const char* body : kBodies) {
    SCOPED_TRACE(body);
    absl::StatusOr<std::vector<Tensor>> t = DecodeInvocationsJson(body, Tabular());
    ASSERT_TRUE(t.ok()) << t.status();
    ASSERT_EQ(t->size(), 1u);
    EXPECT_EQ((*t)[0].name, "x");
    EXPECT_EQ((*t)[0].datatype, DataType::kFp64);
    EXPECT_EQ((*t)[0].shape, (std::vector<int64_t>{2, 3}));
    EXPECT_EQ(ToDoubles((*t)[0]), (std::vector<double>{1, 2, 3, 4, 5, 6}));
  }
}

TEST(InvocationsCodecTest, Csv) {
  absl::StatusOr<std::vector<Tensor>> t =
      DecodeInvocationsCsv("c,a,\"b\"\r\n3,1,2\r\n\n6,4,\"5\"\n", Tabular());
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(ToDoubles((*t)[0]), (std::vector<double>{1, 2, 3, 4, 5, 6}));
  // Empty cells are NaN, as in pandas.
  t = DecodeInvocationsCsv("a,b,c\n1,,3\n", Tabular());
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_TRUE(std::isnan(ToDoubles((*t)[0])[1]));
  t = DecodeInvocationsCsv("session\n\"a,b\"\n\"say \"\"hi\"\"\"\n42\n", Sessions());
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ((*t)[0].strings, (std::vector<std::string>{"a,b", "say \"hi\"", "42"}));
}

TEST(InvocationsCodecTest, BytesSchema) {
  static const char* kBodies[] = {
      R"({"dataframe_split":{"columns":["session"],"data":[["a"],["b"]]}})",
      R"({"dataframe_records":[{"session":"a"},{"session":"b"}]})",
      R"({"instances":["a","b"]})",
      R"({"inputs":{"session":["a","b"]}})",
      R"({"inputs":["a","b"]})",
  };
  for (const char* body : kBodies) {
    SCOPED_TRACE(body);
    absl::StatusOr<std::vector<Tensor>> t = DecodeInvocationsJson(body, Sessions());
    ASSERT_TRUE(t.ok()) << t.status();
    EXPECT_EQ((*t)[0].datatype, DataType::kBytes);
    EXPECT_EQ((*t)[0].shape, (std::vector<int64_t>{2}));
    EXPECT_EQ((*t)[0].strings, (std::vector<std::string>{"a", "b"}));
  }
}

TEST(InvocationsCodecTest, Errors) {
  const struct {
    const char* body;
    bool csv;
    const ModelSchema schema;
    const char* message;
  } cases[] = {
      {"{", false, Tabular(), "Malformed JSON"},
      {"[1,2]", false, Tabular(), "exactly one of the input fields"},
      {R"({"params":{}})", false, Tabular(), "Received dictionary with input fields: ['params']"},
      {R"({"instances":[[1,2,3]],"inputs":[[1,2,3]]})", false, Tabular(),
       "exactly one of the input fields"},
      {R"({"instances":[[1,2,3]],"params":[1]})", false, Tabular(),
       "\"params\" must be a JSON object"},
      {R"({"dataframe_split":{"columns":["a","b"],"data":[[1,2]]}})", false, Tabular(),
       "missing column \"c\""},
      {R"({"dataframe_records":[{"a":1,"b":2}]})", false, Tabular(),
       "missing column \"c\" in row 0"},
      {R"({"dataframe_split":{"columns":["a","b","c"],"data":[[1,2,3],[1,2]]}})", false, Tabular(),
       "dataframe_split row 1 must be a list of 3 values"},
      {R"({"instances":[[1,2,3],[4,5]]})", false, Tabular(), "row 1 must be a list of 3 values"},
      {R"({"inputs":{"a":[1,2],"b":[1,2],"c":[1]}})", false, Tabular(),
       "column \"c\" has 1 values, column \"a\" has 2"},
      {R"({"instances":[["1",2,3]]})", false, Tabular(),
       "column \"a\", row 0: expected a number for FP64, got str"},
      {R"({"dataframe_split":{"data":5}})", false, Tabular(), "needs \"data\""},
      {R"({"dataframe_records":{}})", false, Tabular(), "must be a list of objects"},
      {R"({"instances":{"a":1}})", false, Tabular(), "instances must be a list"},
      {R"({"instances":[1,2]})", false, Sessions(), "expected a string for BYTES, got int"},
      {R"({"inputs":{"other":["a"]}})", false, Sessions(), "missing input \"session\""},
      {"a,b,c\n1,2,3\n4,5\n", true, Tabular(), "CSV input:3: expected 3 fields, got 2"},
      {"a,b,c\n1,2,x\n", true, Tabular(), "column \"c\", row 0: expected a number"},
      {"a,b\n1,2\n", true, Tabular(), "missing column \"c\""},
      {"a,\"b\nc\n", true, Tabular(), "CSV input:1:3: unterminated quoted field"},
      {"\"a\"x,b\n", true, Tabular(), "CSV input:1:4: unexpected character after a closing quote"},
      {"", true, Tabular(), "no header row"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.body);
    absl::StatusOr<std::vector<Tensor>> t =
        c.csv ? DecodeInvocationsCsv(c.body, c.schema) : DecodeInvocationsJson(c.body, c.schema);
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(std::string(StatusMessage(t.status())).find(c.message), std::string::npos)
        << t.status();
  }
}

TEST(InvocationsCodecTest, Predictions) {
  Tensor y = MakeFp64Tensor("y", {2}, {1.5, 2});
  EXPECT_EQ(EncodePredictions({y}), "{\"predictions\":[1.5,2]}");
  Tensor m = MakeFp64Tensor("m", {2, 2}, {1, 2, 3, 4});
  EXPECT_EQ(EncodePredictions({m}), "{\"predictions\":[[1,2],[3,4]]}");
  Tensor label = MakeBytesTensor("label", {2}, {"a", "b"});
  EXPECT_EQ(EncodePredictions({y, label, m}),
            "{\"predictions\":[{\"y\":1.5,\"label\":\"a\",\"m\":[1,2]},"
            "{\"y\":2,\"label\":\"b\",\"m\":[3,4]}]}");
  Tensor other = MakeFp64Tensor("z", {3}, {1, 2, 3});
  EXPECT_EQ(EncodePredictions({y, other}), "{\"predictions\":{\"y\":[1.5,2],\"z\":[1,2,3]}}");
  EXPECT_EQ(ScoringErrorBody("BAD_REQUEST", "no"),
            "{\"error_code\":\"BAD_REQUEST\",\"message\":\"no\"}");
}

}  // namespace
}  // namespace ferry::http
