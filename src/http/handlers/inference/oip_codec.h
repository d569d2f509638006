#pragma once
// Open Inference Protocol v2 (KServe v2 / Triton) REST bodies: decoding an inference request,
// with the binary tensor data extension, into typed tensors, and encoding the response.
// Pure functions, no I/O; fuzzed by tests/fuzz/oip_decode_fuzz.cc.
//
// Decoding rules (every violation is kInvalidArgument with a message naming the input):
// - `data` is flat or nested; nested arrays must match `shape` dimension by dimension.
// - The element count must equal the product of `shape`.
// - BOOL takes JSON true/false; integer types take JSON integers (integral floats too) in
//   the type's range; FP32/FP64 take numbers and the strings "NaN", "Infinity", "-Infinity"
//   (what the encoder writes); FP16/BF16 only through binary data; BYTES takes JSON strings.
// - Binary data: with `json_length` set (the Inference-Header-Content-Length header) the
//   body is the JSON followed by the raw bytes of the inputs with
//   `parameters.binary_data_size`, in input order; each size must equal element count x
//   element size (BYTES: 4-byte little-endian length prefixes), and the bytes must add up to
//   the body exactly.
// - No allocation is sized by a declared shape before it is checked against the data that is
//   actually present.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "core/model_schema.h"
#include "core/tensor.h"

namespace ferry::http {

struct OipRequestedOutput {
  std::string name;
  std::optional<bool> binary;  // parameters.binary_data
};

struct OipRequest {
  std::string id;
  std::vector<Tensor> inputs;
  std::vector<OipRequestedOutput> outputs;  // empty: all outputs
  bool binary_data_output = false;          // parameters.binary_data_output
  int64_t timeout_us = 0;                   // parameters.timeout (Triton), 0: none

  // Whether output `name` is sent as binary data.
  bool WantsBinary(std::string_view name) const;
  // The names in `outputs`, for InferRequest::requested_outputs.
  std::vector<std::string> OutputNames() const;
};

// Decodes `body`. `json_length` is the value of Inference-Header-Content-Length, if sent.
absl::StatusOr<OipRequest> DecodeOipRequest(std::string_view body,
                                            std::optional<uint64_t> json_length);

// Parses an Inference-Header-Content-Length value (decimal, no sign).
absl::StatusOr<uint64_t> ParseJsonLength(std::string_view header);

struct OipEncoded {
  std::string body;
  // Length of the JSON part when binary outputs follow it, else nullopt.
  std::optional<size_t> json_length;
};

// Encodes an inference response. `request` decides which outputs are binary; `id` is echoed
// when not empty.
OipEncoded EncodeOipResponse(std::string_view model_name, std::string_view model_version,
                             std::string_view id, const std::vector<Tensor>& outputs,
                             const OipRequest& request);

// {"error":"<message>"}
std::string OipErrorBody(std::string_view message);

// Model metadata: name, versions, platform, inputs and outputs (shape -1 for free dims), and
// for MLflow models `ferry_backend_reason`: why that backend serves it (the platform names
// it: ferry_mlflow-xgboost, ferry_mlflow-python).
std::string EncodeModelMetadata(std::string_view name, const std::vector<std::string>& versions,
                                std::string_view platform, const ModelSchema& schema,
                                std::string_view backend_reason = "");

}  // namespace ferry::http
