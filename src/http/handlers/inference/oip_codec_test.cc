// OIP request decoding and response encoding, without HTTP: every datatype, nested data,
// binary data, and every decoding error.

#include "http/handlers/inference/oip_codec.h"

#include <cstring>
#include <string>

#include "gtest/gtest.h"

namespace ferry::http {
namespace {

std::string Le32(uint32_t n) {
  return std::string{static_cast<char>(n), static_cast<char>(n >> 8), static_cast<char>(n >> 16),
                     static_cast<char>(n >> 24)};
}

std::string Input(std::string_view datatype, std::string_view shape, std::string_view data) {
  return "{\"inputs\":[{\"name\":\"in\",\"datatype\":\"" + std::string(datatype) +
         "\",\"shape\":" + std::string(shape) + ",\"data\":" + std::string(data) + "}]}";
}

// Decodes one JSON input and encodes it back as an output: the data must survive.
TEST(OipCodecTest, EveryJsonDatatypeRoundTrips) {
  static const struct {
    const char* datatype;
    const char* data;
    const char* expected;  // the encoded data
  } cases[] = {
      {"BOOL", "[true,false]", "[true,false]"},
      {"UINT8", "[0,255]", "[0,255]"},
      {"UINT16", "[0,65535]", "[0,65535]"},
      {"UINT32", "[0,4294967295]", "[0,4294967295]"},
      {"UINT64", "[0,18446744073709551615]", "[0,18446744073709551615]"},
      {"INT8", "[-128,127]", "[-128,127]"},
      {"INT16", "[-32768,32767]", "[-32768,32767]"},
      {"INT32", "[-2147483648,2147483647]", "[-2147483648,2147483647]"},
      {"INT64", "[-9223372036854775808,9223372036854775807]",
       "[-9223372036854775808,9223372036854775807]"},
      {"INT32", "[3.0,-4.0]", "[3,-4]"},  // integral floats are accepted
      {"FP32", "[0.1,-2.5]", "[0.1,-2.5]"},
      {"FP32", "[\"NaN\",\"-Infinity\"]", "[\"NaN\",\"-Infinity\"]"},
      {"FP64", "[0.1,1e300]", "[0.1,1e+300]"},
      {"FP64", "[1,2]", "[1,2]"},
      // Whole numbers beyond int64 go out in scientific form, which JSON readers take as a
      // double; as plain digits ours (and others) refuse them (found by oip_decode_fuzz).
      {"FP64", "[-31122277777777777772.11,9.2e18]", "[-3.112227777777778e+19,9.2e+18]"},
      {"FP32", "[3.4e38,-1e20]", "[3.4e+38,-1e+20]"},
      {"BYTES", "[\"a\",\"\\u00e9\\n\"]", "[\"a\",\"\xc3\xa9\\n\"]"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.datatype) + " " + c.data);
    absl::StatusOr<OipRequest> r = DecodeOipRequest(Input(c.datatype, "[2]", c.data), {});
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_EQ(r->inputs.size(), 1u);
    EXPECT_EQ(DataTypeName(r->inputs[0].datatype), c.datatype);
    OipEncoded enc = EncodeOipResponse("m", "1", "", r->inputs, *r);
    EXPECT_FALSE(enc.json_length.has_value());
    EXPECT_EQ(enc.body,
              "{\"model_name\":\"m\",\"model_version\":\"1\",\"outputs\":[{\"name\":\"in\","
              "\"datatype\":\"" +
                  std::string(c.datatype) + "\",\"shape\":[2],\"data\":" + c.expected + "}]}");
  }
}

TEST(OipCodecTest, NestedDataFollowsTheShape) {
  absl::StatusOr<OipRequest> r = DecodeOipRequest(Input("INT32", "[2,3]", "[[1,2,3],[4,5,6]]"), {});
  ASSERT_TRUE(r.ok()) << r.status();
  const Tensor& t = r->inputs[0];
  ASSERT_EQ(t.ElementCount(), 6);
  EXPECT_EQ(t.As<int32_t>()[3], 4);
  EXPECT_EQ(t.As<int32_t>()[5], 6);
  // A scalar (shape []) may be given bare.
  r = DecodeOipRequest(Input("FP64", "[]", "7.5"), {});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->inputs[0].As<double>()[0], 7.5);
}

TEST(OipCodecTest, RequestFields) {
  absl::StatusOr<OipRequest> r = DecodeOipRequest(
      "{\"id\":\"42\",\"parameters\":{\"binary_data_output\":true,\"timeout\":2500},"
      "\"inputs\":[],\"outputs\":[{\"name\":\"a\"},{\"name\":\"b\",\"parameters\":"
      "{\"binary_data\":false}}]}",
      {});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->id, "42");
  EXPECT_EQ(r->timeout_us, 2500);
  EXPECT_EQ(r->OutputNames(), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(r->WantsBinary("a"));
  EXPECT_FALSE(r->WantsBinary("b"));
  EXPECT_TRUE(r->WantsBinary("c"));
}

TEST(OipCodecTest, BinaryInputsInOrder) {
  std::string json =
      "{\"inputs\":[{\"name\":\"f\",\"datatype\":\"FP32\",\"shape\":[2],\"parameters\":"
      "{\"binary_data_size\":8}},{\"name\":\"s\",\"datatype\":\"BYTES\",\"shape\":[2],"
      "\"parameters\":{\"binary_data_size\":11}},{\"name\":\"h\",\"datatype\":\"FP16\","
      "\"shape\":[1],\"parameters\":{\"binary_data_size\":2}},{\"name\":\"j\",\"datatype\":"
      "\"INT8\",\"shape\":[1],\"data\":[5]}]}";
  float f[2] = {1.5f, -2.0f};
  std::string binary(reinterpret_cast<const char*>(f), 8);
  binary += Le32(2) + "ab" + Le32(1) + "c";
  binary += std::string("\x00\x3c", 2);  // 1.0 in FP16
  absl::StatusOr<OipRequest> r = DecodeOipRequest(json + binary, json.size());
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->inputs.size(), 4u);
  EXPECT_EQ(r->inputs[0].As<float>()[1], -2.0f);
  EXPECT_EQ(r->inputs[1].strings, (std::vector<std::string>{"ab", "c"}));
  EXPECT_EQ(ElementAsDouble(r->inputs[2], 0), 1.0);
  EXPECT_EQ(r->inputs[3].As<int8_t>()[0], 5);

  // Every output back in binary: the bytes after the JSON are the inputs' bytes in order.
  r->binary_data_output = true;
  OipEncoded enc = EncodeOipResponse("m", "", "7", r->inputs, *r);
  ASSERT_TRUE(enc.json_length.has_value());
  std::string head = enc.body.substr(0, *enc.json_length);
  EXPECT_NE(head.find("\"id\":\"7\""), std::string::npos);
  EXPECT_NE(head.find("{\"name\":\"s\",\"datatype\":\"BYTES\",\"shape\":[2],\"parameters\":"
                      "{\"binary_data_size\":11}}"),
            std::string::npos)
      << head;
  EXPECT_EQ(enc.body.substr(*enc.json_length), binary + std::string("\x05", 1));
}

TEST(OipCodecTest, DecodingErrors) {
  const struct {
    std::string body;
    std::optional<uint64_t> json_length;
    const char* message;  // a substring of the error
  } cases[] = {
      {"{", {}, "Malformed JSON"},
      {"[]", {}, "must be a JSON object"},
      {"{}", {}, "missing \"inputs\""},
      {"{\"inputs\":{}}", {}, "\"inputs\" must be a list"},
      {"{\"id\":5,\"inputs\":[]}", {}, "\"id\" must be a string"},
      {"{\"inputs\":[5]}", {}, "inputs[0] must be an object"},
      {"{\"inputs\":[{\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1]}]}",
       {},
       "inputs[0]: missing \"name\""},
      {"{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"data\":[1]}]}",
       {},
       "input \"x\": missing \"datatype\""},
      {Input("FLOAT", "[1]", "[1]"), {}, "input \"in\": unknown datatype \"FLOAT\""},
      {"{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"data\":[1]}]}",
       {},
       "input \"x\": missing \"shape\""},
      {Input("FP32", "[-1]", "[1]"), {}, "non-negative integers"},
      {Input("FP32", "[1.5]", "[1]"), {}, "non-negative integers"},
      {Input("FP32", "[4294967296,4294967296,4294967296]", "[1]"), {}, "more than"},
      {"{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1]}]}",
       {},
       "input \"x\": missing \"data\""},
      {Input("FP32", "[3]", "[1,2]"), {}, "shape [3] has 3 elements, data has 2"},
      // A huge declared shape is compared with the data before anything is allocated.
      {Input("FP32", "[1000000,1000000]", "[1]"),
       {},
       "shape [1000000,1000000] has 1000000000000 elements, data has 1"},
      {Input("FP32", "[2,2]", "[[1,2],[3]]"), {}, "nested data does not match shape [2,2]"},
      {Input("FP32", "[2,2]", "[[1,2,3],[4,5,6]]"), {}, "nested data does not match shape"},
      {Input("FP32", "[2]", "[[1],[2]]"), {}, "nested data does not match shape"},
      {Input("FP32", "[2]", "{\"a\":1}"), {}, "data must be a list"},
      {Input("UINT8", "[3]", "[1,2,300]"),
       {},
       "input \"in\": element 2: 300 is out of range for UINT8"},
      {Input("INT8", "[1]", "[-129]"), {}, "element 0: -129 is out of range for INT8"},
      {Input("UINT32", "[1]", "[-1]"), {}, "-1 is out of range for UINT32"},
      {Input("INT64", "[1]", "[18446744073709551615]"), {}, "out of range for INT64"},
      {Input("INT64", "[1]", "[9.3e18]"), {}, "out of range for INT64"},
      {Input("INT32", "[1]", "[1.5]"), {}, "expected an integer for INT32, got float"},
      {Input("INT32", "[1]", "[\"1\"]"), {}, "expected an integer for INT32, got str"},
      {Input("BOOL", "[1]", "[1]"), {}, "expected true or false for BOOL, got int"},
      {Input("FP32", "[1]", "[true]"), {}, "expected a number for FP32, got bool"},
      {Input("FP32", "[1]", "[1e39]"), {}, "out of range for FP32"},
      {Input("FP64", "[1]", "[\"nan\"]"), {}, "expected a number for FP64, got str"},
      {Input("FP64", "[2]", "[1,[2]]"), {}, "element 1: expected a number for FP64, got list"},
      {Input("BYTES", "[1]", "[1]"), {}, "expected a string for BYTES, got int"},
      {Input("FP16", "[1]", "[1]"), {}, "FP16 data must use the binary data extension"},
      {Input("BF16", "[1]", "[1]"), {}, "BF16 data must use the binary data extension"},
      {"{\"parameters\":{\"binary_data_output\":1},\"inputs\":[]}",
       {},
       "\"binary_data_output\" must be true or false"},
      {"{\"parameters\":{\"timeout\":-5},\"inputs\":[]}", {}, "\"timeout\" must be a non-negative"},
      {"{\"inputs\":[],\"outputs\":[{}]}", {}, "outputs[0]: missing \"name\""},
      {"{\"inputs\":[],\"outputs\":[{\"name\":\"y\",\"parameters\":{\"binary_data\":\"yes\"}}]}",
       {},
       "\"binary_data\" must be true or false"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.body);
    absl::StatusOr<OipRequest> r = DecodeOipRequest(c.body, c.json_length);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(std::string(StatusMessage(r.status())).find(c.message), std::string::npos)
        << r.status();
  }
}

TEST(OipCodecTest, BinaryErrors) {
  auto body = [](std::string_view datatype, int size) {
    return "{\"inputs\":[{\"name\":\"b\",\"datatype\":\"" + std::string(datatype) +
           "\",\"shape\":[2],\"parameters\":{\"binary_data_size\":" + std::to_string(size) + "}}]}";
  };
  std::string fp32 = body("FP32", 8);
  std::string bytes = body("BYTES", 9);
  std::string huge =
      "{\"inputs\":[{\"name\":\"b\",\"datatype\":\"BYTES\",\"shape\":[1000000000000],"
      "\"parameters\":{\"binary_data_size\":4}}]}";
  std::string both =
      "{\"inputs\":[{\"name\":\"b\",\"datatype\":\"INT8\",\"shape\":[1],\"data\":[1],"
      "\"parameters\":{\"binary_data_size\":1}}]}";
  const struct {
    std::string body;
    std::optional<uint64_t> json_length;
    const char* message;
  } cases[] = {
      // Size does not match the shape.
      {body("FP32", 4) + "abcd", body("FP32", 4).size(), "binary_data_size 4 does not match"},
      // Truncated: fewer bytes than declared.
      {fp32 + "abcd", fp32.size(), "exceeds the 4 bytes of binary data left"},
      // Extra bytes nobody claims.
      {fp32 + "abcdefghX", fp32.size(), "1 bytes of binary data follow the JSON"},
      // Header longer than the body.
      {fp32, fp32.size() + 1, "exceeds the body length"},
      // binary_data_size without the header.
      {fp32 + "abcdefgh", {}, "Malformed JSON"},
      {fp32, {}, "without an Inference-Header-Content-Length"},
      // BYTES: a length prefix running past the end, too few elements, truncated prefix.
      {bytes + Le32(9) + "abcde", bytes.size(), "runs past the end"},
      {bytes + Le32(5) + "abcde", bytes.size(), "has 2 elements, binary data has 1"},
      {body("BYTES", 6) + Le32(0) + "ab", body("BYTES", 6).size(), "truncated BYTES length"},
      // Both data and binary.
      // A huge BYTES shape reserves only what the bytes can hold.
      {huge + Le32(0), huge.size(), "has 1000000000000 elements, binary data has 1"},
      {both + "x", both.size(), "has both \"data\" and parameters.binary_data_size"},
      {Input("FP32", "[1]", "[1]") + "", Input("FP32", "[1]", "[1]").size(),
       ""},  // valid: a header with no binary data
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.body);
    absl::StatusOr<OipRequest> r = DecodeOipRequest(c.body, c.json_length);
    if (std::string_view(c.message).empty()) {
      EXPECT_TRUE(r.ok()) << r.status();
      continue;
    }
    ASSERT_FALSE(r.ok());
    EXPECT_NE(std::string(StatusMessage(r.status())).find(c.message), std::string::npos)
        << r.status();
  }
}

TEST(OipCodecTest, JsonLengthHeader) {
  EXPECT_EQ(*ParseJsonLength("123"), 123u);
  EXPECT_FALSE(ParseJsonLength("").ok());
  EXPECT_FALSE(ParseJsonLength("-1").ok());
  EXPECT_FALSE(ParseJsonLength("12x").ok());
  EXPECT_FALSE(ParseJsonLength("99999999999999999999999").ok());
}

TEST(OipCodecTest, ModelMetadata) {
  ModelSchema schema;
  schema.inputs.push_back({"x", DataType::kFp64, {-1, 3}, {"a", "b", "c"}, false});
  schema.outputs.push_back({"y", DataType::kBytes, {-1}, {}, false});
  EXPECT_EQ(EncodeModelMetadata("m", {"2", "1"}, "ferry_linear", schema),
            "{\"name\":\"m\",\"versions\":[\"2\",\"1\"],\"platform\":\"ferry_linear\","
            "\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP64\",\"shape\":[-1,3]}],"
            "\"outputs\":[{\"name\":\"y\",\"datatype\":\"BYTES\",\"shape\":[-1]}]}");
  EXPECT_EQ(OipErrorBody("bad \"x\""), "{\"error\":\"bad \\\"x\\\"\"}");
  // MLflow models also say why their backend serves them.
  const std::string mlflow =
      EncodeModelMetadata("m", {"1"}, "ferry_mlflow-python", schema, "flavor sklearn: pickles");
  EXPECT_NE(mlflow.find(",\"ferry_backend_reason\":\"flavor sklearn: pickles\"}"),
            std::string::npos)
      << mlflow;
}

}  // namespace
}  // namespace ferry::http
