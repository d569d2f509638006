// libFuzzer target for the MLflow scoring decoder (http/handlers/inference/invocations_codec.h),
// which reads untrusted JSON and CSV bodies on POST /invocations. Input: one control byte, then the
// body. Bit 0 picks CSV or JSON, bits 1-2 the schema (tabular [-1,3] with columns a,b,c;
// BYTES [-1]; two inputs INT64 [-1] and FP32 [-1,2]). Properties checked:
//   * every error is kInvalidArgument;
//   * the tensors are exactly the schema's inputs, in order, each holding the elements its
//     shape promises; a tabular input is FP64 [N,3];
//   * EncodePredictions accepts the result.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "http/handlers/inference/invocations_codec.h"

namespace {

ferry::ModelSchema Schema(int which) {
  using ferry::DataType;
  ferry::ModelSchema s;
  if (which == 0) {
    s.inputs.push_back({"x", DataType::kFp64, {-1, 3}, {"a", "b", "c"}, false});
  } else if (which == 1) {
    s.inputs.push_back({"session", DataType::kBytes, {-1}, {}, false});
  } else {
    s.inputs.push_back({"a", DataType::kInt64, {-1}, {}, false});
    s.inputs.push_back({"b", DataType::kFp32, {-1, 2}, {}, false});
  }
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  bool csv = data[0] & 1;
  int which = (data[0] >> 1) % 3;
  std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  ferry::ModelSchema schema = Schema(which);
  absl::StatusOr<std::vector<ferry::Tensor>> r =
      csv ? ferry::http::DecodeInvocationsCsv(body, schema)
          : ferry::http::DecodeInvocationsJson(body, schema);
  if (!r.ok()) {
    Check(r.status().code() == absl::StatusCode::kInvalidArgument);
    return 0;
  }
  Check(r->size() == schema.inputs.size());
  for (size_t i = 0; i < r->size(); ++i) {
    const ferry::Tensor& t = (*r)[i];
    Check(t.name == schema.inputs[i].name);
    absl::StatusOr<int64_t> n = ferry::ShapeElementCount(t.shape);
    Check(n.ok());
    if (t.datatype == ferry::DataType::kBytes) {
      Check(static_cast<int64_t>(t.strings.size()) == *n);
    } else {
      Check(static_cast<int64_t>(t.data.size()) == *n * ferry::DataTypeSize(t.datatype));
    }
    if (which == 0) {
      Check(t.datatype == ferry::DataType::kFp64 && t.shape.size() == 2 && t.shape[1] == 3);
    }
  }
  std::string out = ferry::http::EncodePredictions(*r);
  Check(out.rfind("{\"predictions\":", 0) == 0);
  return 0;
}
