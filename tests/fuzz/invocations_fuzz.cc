// libFuzzer target for the MLflow scoring decoder (http/handlers/inference/invocations_codec.h),
// which reads untrusted JSON and CSV bodies on POST /invocations. Input: one control byte, then the
// body. Bit 0 picks CSV or JSON, bits 1-3 the schema: tabular [-1,3] with columns a,b,c; BYTES
// [-1]; two tensors INT64 [-1] and FP32 [-1,2]; an MLflow column-based signature (long l,
// integer i, float f, double d, boolean b, string s, optional double opt); an unnamed
// tensor FP64 [-1,3]; no signature. Properties checked:
//   * every error is kInvalidArgument with an MLflow error code;
//   * the tensors are the schema's inputs, in order (optional ones may be absent), each holding
//     the elements its shape promises; a tabular input is FP64 [N,3]; a column has the datatype
//     of its spec; without a signature, every tensor is one column [N];
//   * EncodePredictions accepts the result, and SelectScoringOutputs keeps it.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "http/handlers/inference/invocations_codec.h"
#include "http/handlers/inference/scoring_errors.h"

namespace {

constexpr int kSchemas = 6;

ferry::ModelSchema Schema(int which) {
  using ferry::DataType;
  ferry::ModelSchema s;
  switch (which) {
    case 0:
      s.inputs.push_back({"x", DataType::kFp64, {-1, 3}, {"a", "b", "c"}, false});
      break;
    case 1:
      s.inputs.push_back({"session", DataType::kBytes, {-1}, {}, false});
      break;
    case 2:
      s.inputs.push_back({"a", DataType::kInt64, {-1}, {}, false});
      s.inputs.push_back({"b", DataType::kFp32, {-1, 2}, {}, false});
      break;
    case 3:
      s.inputs = {
          {"l", DataType::kInt64, {-1}, {}, true},        {"i", DataType::kInt32, {-1}, {}, true},
          {"f", DataType::kFp32, {-1}, {}, true},         {"d", DataType::kFp64, {-1}, {}, true},
          {"b", DataType::kBool, {-1}, {}, true},         {"s", DataType::kBytes, {-1}, {}, true},
          {"opt", DataType::kFp64, {-1}, {}, true, false}};
      break;
    case 4:
      s.inputs.push_back({"input", DataType::kFp64, {-1, 3}, {}, false});
      break;
    default:
      break;  // no signature
  }
  return s;
}

bool Holds(const ferry::Tensor& t) {
  absl::StatusOr<int64_t> n = ferry::ShapeElementCount(t.shape);
  if (!n.ok()) return false;
  if (t.datatype == ferry::DataType::kBytes) return static_cast<int64_t>(t.strings.size()) == *n;
  return static_cast<int64_t>(t.data.size()) == *n * ferry::DataTypeSize(t.datatype);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  bool csv = data[0] & 1;
  int which = (data[0] >> 1) % kSchemas;
  std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  ferry::ModelSchema schema = Schema(which);
  ferry::http::ScoringParams params;
  absl::StatusOr<std::vector<ferry::Tensor>> r =
      csv ? ferry::http::DecodeInvocationsCsv(body, schema)
          : ferry::http::DecodeInvocationsJson(body, schema, &params);
  if (!r.ok()) {
    Check(r.status().code() == absl::StatusCode::kInvalidArgument);
    std::string_view code = ferry::http::ScoringErrorCode(r.status());
    Check(code == "BAD_REQUEST" || code == "INVALID_PARAMETER_VALUE");
    return 0;
  }
  size_t k = 0;
  for (const ferry::Tensor& t : *r) {
    Check(Holds(t));
    if (schema.inputs.empty()) {
      Check(t.shape.size() == 1 && t.shape[0] == (*r)[0].shape[0]);
      continue;
    }
    while (k < schema.inputs.size() && schema.inputs[k].name != t.name) {
      Check(!schema.inputs[k].required);  // only optional inputs may be skipped
      ++k;
    }
    Check(k < schema.inputs.size());
    if (which == 0) {
      Check(t.datatype == ferry::DataType::kFp64 && t.shape.size() == 2 && t.shape[1] == 3);
    }
    if (which == 3) Check(t.datatype == schema.inputs[k].datatype && t.shape.size() == 1);
    ++k;
  }
  for (; k < schema.inputs.size(); ++k) Check(!schema.inputs[k].required);
  std::string out = ferry::http::EncodePredictions(*r);
  Check(out.rfind("{\"predictions\":", 0) == 0);
  absl::StatusOr<std::vector<ferry::Tensor>> picked =
      ferry::http::SelectScoringOutputs(*r, ferry::http::ScoringParams{});
  Check(picked.ok() && picked->size() == r->size());
  return 0;
}
