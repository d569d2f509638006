// MLflow scoring bodies onto a schema, without HTTP: every format, CSV, and the errors.

#include "http/handlers/inference/invocations_codec.h"

#include <cmath>
#include <string>

#include "gtest/gtest.h"
#include "http/handlers/inference/scoring_errors.h"

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
  constexpr const char* kBad = "BAD_REQUEST";
  constexpr const char* kParam = "INVALID_PARAMETER_VALUE";
  const struct {
    const char* body;
    bool csv;
    const ModelSchema schema;
    const char* error_code;
    const char* message;
  } cases[] = {
      {"{", false, Tabular(), kBad, "Ensure that input is a valid JSON formatted string"},
      {"[1,2]", false, Tabular(), kBad, "exactly one of the input fields"},
      {R"({"params":{}})", false, Tabular(), kBad,
       "Received dictionary with input fields: ['params']"},
      {R"({"instances":[[1,2,3]],"inputs":[[1,2,3]]})", false, Tabular(), kBad,
       "exactly one of the input fields"},
      {R"({"instances":[[1,2,3]],"params":{"predict_method":"fit"}})", false, Tabular(), kParam,
       "predict_method must be 'predict' or 'predict_proba', got 'fit'"},
      {R"({"dataframe_split":{"columns":["a","b"],"data":[[1,2]]}})", false, Tabular(), kParam,
       "Model is missing inputs ['c']."},
      {R"({"dataframe_records":[{"a":1,"b":2}]})", false, Tabular(), kParam,
       "Model is missing inputs ['c']."},
      {R"({"dataframe_split":{"columns":["a","b","c"],"data":[[1,2,3],[1,2]]}})", false, Tabular(),
       kBad, "3 columns passed, row 1 is not a list of 3 values"},
      {R"({"dataframe_split":{"columns":["a"],"data":[[1]],"extra":1}})", false, Tabular(), kBad,
       "Dataframe split format must have 'data' field and optionally 'columns' and 'index' "
       "fields. Got {'columns', 'data', 'extra'}."},
      {R"({"instances":[[1,2,3],[4,5]]})", false, Tabular(), kBad,
       "row 1 must be a list of 3 values"},
      {R"({"inputs":{"a":[1,2],"b":[1,2],"c":[1]}})", false, Tabular(), kParam,
       "All arrays must be of the same length (column 'c' has 1 values, column 'a' has 2)"},
      {R"({"instances":[["x",2,3]]})", false, Tabular(), kBad,
       "Failed to convert column a to type 'float64'. Error: 'could not convert string to "
       "float: 'x'' (column 'a', row 0)"},
      {R"({"dataframe_split":{"data":5}})", false, Tabular(), kBad, "data must be a list of rows"},
      {R"({"dataframe_records":{}})", false, Tabular(), kBad,
       "Dataframe records format must be a list of records. Got dictionary."},
      {R"({"dataframe_records":[1]})", false, Tabular(), kBad, "'row 0 is not an object'"},
      {R"({"instances":5})", false, Tabular(), kBad,
       "instances must be a list of rows or an object of columns"},
      {R"({"instances":[null]})", false, Sessions(), kBad,
       "a string column cannot hold null' (column 'session', row 0)"},
      {R"({"inputs":{"other":["a"]}})", false, Sessions(), kParam,
       "Model is missing inputs ['session']. Note that there were extra inputs: ['other']"},
      {"a,b,c\n1,2,3\n4,5\n", true, Tabular(), kBad, "CSV input:3: expected 3 fields, got 2"},
      {"a,b,c\n1,2,x\n", true, Tabular(), kBad,
       "Failed to parse input as a Pandas DataFrame. Ensure that the input is a valid "
       "CSV-formatted Pandas DataFrame produced using the `pandas.DataFrame.to_csv()` method. "
       "Error: 'could not convert string to float: 'x'' (column 'c', row 0)"},
      {"a,b\n1,2\n", true, Tabular(), kParam, "Model is missing inputs ['c']."},
      {"a,\"b\nc\n", true, Tabular(), kBad, "CSV input:1:3: unterminated quoted field"},
      {"\"a\"x,b\n", true, Tabular(), kBad,
       "CSV input:1:4: unexpected character after a closing quote"},
      {"", true, Tabular(), kBad, "no header row"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.body);
    absl::StatusOr<std::vector<Tensor>> t =
        c.csv ? DecodeInvocationsCsv(c.body, c.schema) : DecodeInvocationsJson(c.body, c.schema);
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(ScoringErrorCode(t.status()), c.error_code);
    EXPECT_NE(std::string(StatusMessage(t.status())).find(c.message), std::string::npos)
        << t.status();
  }
}

TEST(InvocationsCodecTest, ParamsArePredictMethodOrIgnored) {
  static const struct {
    const char* body;
    const char* method;
  } kCases[] = {
      {R"({"instances":[[1,2,3]]})", "predict"},
      {R"({"instances":[[1,2,3]],"params":[1]})", "predict"},  // MLflow ignores non-objects
      {R"({"instances":[[1,2,3]],"params":{"temperature":1}})", "predict"},
      {R"({"instances":[[1,2,3]],"params":{"predict_method":"predict_proba"}})", "predict_proba"},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.body);
    ScoringParams params;
    ASSERT_TRUE(DecodeInvocationsJson(c.body, Tabular(), &params).ok());
    EXPECT_EQ(params.predict_method, c.method);
  }
}

ModelSchema Columns() {
  ModelSchema s;
  s.inputs = {{"n", DataType::kInt64, {-1}, {}, false},
              {"s", DataType::kBytes, {-1}, {}, false},
              {"f", DataType::kFp32, {-1}, {}, true},
              {"opt", DataType::kBool, {-1}, {}, false, false}};
  return s;
}

// A column-based signature: one tensor per column, of its own type, in schema order.
TEST(InvocationsCodecTest, ColumnSignatureGivesTypedColumnsInSchemaOrder) {
  static const char* kBodies[] = {
      R"({"dataframe_split":{"columns":["f","x","s","n"],"data":[[0.5,1,"a",1],[null,2,"b",2.0]]}})",
      R"({"dataframe_records":[{"s":"a","n":1,"f":0.5},{"n":"2","s":"b","f":null}]})",
      R"({"instances":[{"s":"a","n":1,"f":"0.5"},{"n":2,"s":"b","f":null}]})",
      R"({"inputs":{"n":[1,2],"s":["a","b"],"f":[0.5,null]}})",
  };
  for (const char* body : kBodies) {
    SCOPED_TRACE(body);
    absl::StatusOr<std::vector<Tensor>> t = DecodeInvocationsJson(body, Columns());
    ASSERT_TRUE(t.ok()) << t.status();
    ASSERT_EQ(t->size(), 3u);  // "opt" is absent
    EXPECT_EQ((*t)[0].datatype, DataType::kInt64);
    EXPECT_EQ(ToDoubles((*t)[0]), (std::vector<double>{1, 2}));
    EXPECT_EQ((*t)[1].strings, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ((*t)[2].datatype, DataType::kFp32);
    EXPECT_EQ((*t)[2].shape, (std::vector<int64_t>{2}));
    EXPECT_EQ(ToDoubles((*t)[2])[0], 0.5);
    EXPECT_TRUE(std::isnan(ToDoubles((*t)[2])[1]));
  }
  absl::StatusOr<std::vector<Tensor>> csv =
      DecodeInvocationsCsv("s,opt,n,f\na,True,1,0.5\nb,false,2,\n", Columns());
  ASSERT_TRUE(csv.ok()) << csv.status();
  ASSERT_EQ(csv->size(), 4u);
  EXPECT_EQ((*csv)[3].name, "opt");
  EXPECT_EQ(ToDoubles((*csv)[3]), (std::vector<double>{1, 0}));
}

// No signature: the request's own columns, typed as pandas would.
TEST(InvocationsCodecTest, NoSignatureTypesColumnsAsPandas) {
  absl::StatusOr<std::vector<Tensor>> t =
      DecodeInvocationsJson(R"({"dataframe_records":[{"i":1,"x":1,"s":"a","b":true,"g":null},)"
                            R"({"i":2,"x":2.5,"s":"b","b":false,"g":3}]})",
                            ModelSchema());
  ASSERT_TRUE(t.ok()) << t.status();
  std::vector<std::string> got;
  for (const Tensor& c : *t) got.push_back(c.name + ":" + std::string(DataTypeName(c.datatype)));
  EXPECT_EQ(got, (std::vector<std::string>{"i:INT64", "x:FP64", "s:BYTES", "b:BOOL", "g:FP64"}));
  t = DecodeInvocationsCsv("i,x,s,b\n1,1.5,a,True\n2,,b,False\n", ModelSchema());
  ASSERT_TRUE(t.ok()) << t.status();
  got.clear();
  for (const Tensor& c : *t) got.push_back(c.name + ":" + std::string(DataTypeName(c.datatype)));
  EXPECT_EQ(got, (std::vector<std::string>{"i:INT64", "x:FP64", "s:BYTES", "b:BOOL"}));
  t = DecodeInvocationsJson(R"({"inputs":{"m":[1,"a"]}})", ModelSchema());
  ASSERT_FALSE(t.ok());
  EXPECT_NE(std::string(StatusMessage(t.status())).find("column 'm' mixes value types"),
            std::string::npos);
}

TEST(InvocationsCodecTest, ClassifierOutputsFollowPredictMethod) {
  std::vector<Tensor> outputs = {MakeInt64Tensor("predictions", {2}, {0, 1}),
                                 MakeFp64Tensor("probabilities", {2, 2}, {0.75, 0.25, 0.5, 0.5})};
  ScoringParams params;
  absl::StatusOr<std::vector<Tensor>> picked = SelectScoringOutputs(outputs, params);
  ASSERT_TRUE(picked.ok());
  EXPECT_EQ(EncodePredictions(*picked), "{\"predictions\":[0,1]}");
  params.predict_method = "predict_proba";
  picked = SelectScoringOutputs(outputs, params);
  ASSERT_TRUE(picked.ok());
  EXPECT_EQ(EncodePredictions(*picked), "{\"predictions\":[[0.75,0.25],[0.5,0.5]]}");
  // A regression model (one output) has no probabilities to give.
  picked = SelectScoringOutputs({MakeFp64Tensor("predictions", {1}, {2.5})}, params);
  ASSERT_FALSE(picked.ok());
  EXPECT_EQ(ScoringErrorCode(picked.status()), "INVALID_PARAMETER_VALUE");
  // Other models keep every output (records).
  params.predict_method = "predict";
  picked =
      SelectScoringOutputs({MakeFp64Tensor("a", {1}, {1}), MakeFp64Tensor("b", {1}, {2})}, params);
  ASSERT_TRUE(picked.ok());
  EXPECT_EQ(EncodePredictions(*picked), "{\"predictions\":[{\"a\":1.0,\"b\":2.0}]}");
}

TEST(InvocationsCodecTest, Predictions) {
  Tensor y = MakeFp64Tensor("y", {2}, {1.5, 2});
  EXPECT_EQ(EncodePredictions({y}), "{\"predictions\":[1.5,2.0]}");
  Tensor m = MakeFp64Tensor("m", {2, 2}, {1, 2, 3, 4});
  EXPECT_EQ(EncodePredictions({m}), "{\"predictions\":[[1.0,2.0],[3.0,4.0]]}");
  Tensor label = MakeBytesTensor("label", {2}, {"a", "b"});
  EXPECT_EQ(EncodePredictions({y, label, m}),
            "{\"predictions\":[{\"y\":1.5,\"label\":\"a\",\"m\":[1.0,2.0]},"
            "{\"y\":2.0,\"label\":\"b\",\"m\":[3.0,4.0]}]}");
  Tensor other = MakeFp64Tensor("z", {3}, {1, 2, 3});
  EXPECT_EQ(EncodePredictions({y, other}),
            "{\"predictions\":{\"y\":[1.5,2.0],\"z\":[1.0,2.0,3.0]}}");
  EXPECT_EQ(ScoringErrorBody("BAD_REQUEST", "no"),
            "{\"error_code\":\"BAD_REQUEST\",\"message\":\"no\"}");
}

}  // namespace
}  // namespace ferry::http
