// libFuzzer target for the decoder of Python worker replies (runtime/python/worker_frame.h):
// the bytes a worker process sends back are untrusted, since the worker runs a user's pickle.
// Properties checked:
//   * every error is kInvalidArgument and starts "worker frame: " (a precise message);
//   * a decoded frame re-encodes to bytes that decode to the same frame and re-encode
//     identically (the encoding is canonical);
//   * PeekFrameLength agrees with the frame's size whenever the frame decodes.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "runtime/python/worker_frame.h"

using ferry::runtime::python::DecodeFrame;
using ferry::runtime::python::EncodeFrame;
using ferry::runtime::python::Frame;

namespace {

bool SameTensors(const Frame& a, const Frame& b) {
  if (a.tensors.size() != b.tensors.size()) return false;
  for (size_t i = 0; i < a.tensors.size(); ++i) {
    const auto& x = a.tensors[i];
    const auto& y = b.tensors[i];
    if (x.name != y.name || x.datatype != y.datatype || x.shape != y.shape || x.data != y.data ||
        x.strings != y.strings) {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<Frame> frame = DecodeFrame(bytes);
  if (!frame.ok()) {
    Check(frame.status().code() == absl::StatusCode::kInvalidArgument);
    Check(ferry::StatusMessage(frame.status()).substr(0, 14) == "worker frame: ");
    return 0;
  }
  Check(*ferry::runtime::python::PeekFrameLength(bytes) == size);
  const std::string once = EncodeFrame(*frame);
  absl::StatusOr<Frame> again = DecodeFrame(once);
  Check(again.ok());
  Check(again->type == frame->type && again->request_id == frame->request_id);
  Check(again->params == frame->params);
  Check(SameTensors(*frame, *again));
  Check(EncodeFrame(*again) == once);
  return 0;
}
