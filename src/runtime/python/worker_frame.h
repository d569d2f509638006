#pragma once
// The frames spoken between Ferry and a Python worker (docs/PYTHON_WORKER.md): a 40-byte
// little-endian header, string parameters, then columnar tensors (name, OIP datatype, shape,
// bytes; BYTES elements each with a 4-byte length prefix). Pure encoding and decoding, no I/O.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "core/tensor.h"

namespace ferry::runtime::python {

inline constexpr uint32_t kFrameMagic = 0x4B575246;  // "FRWK" in little-endian byte order
inline constexpr uint16_t kFrameVersion = 1;
inline constexpr size_t kFrameHeaderSize = 40;
// Bounds on what a worker may send back: a decoder refuses anything larger before allocating.
inline constexpr uint64_t kMaxFrameBytes = uint64_t{1} << 31;
inline constexpr uint32_t kMaxFrameItems = 1 << 16;  // parameters or tensors per frame
inline constexpr int kMaxTensorRank = 16;

enum class FrameType : uint16_t {
  kLoad = 1,
  kPredict = 2,
  kPing = 3,
  kShutdown = 4,
  kResult = 5,
  kError = 6,
};
std::string_view FrameTypeName(FrameType type);

struct Frame {
  FrameType type = FrameType::kPing;
  uint64_t request_id = 0;
  uint64_t deadline_us = 0;  // CLOCK_REALTIME microseconds since the epoch; 0: none
  std::vector<std::pair<std::string, std::string>> params;
  std::vector<Tensor> tensors;

  // The value of parameter `key`, or "" when absent.
  std::string_view Param(std::string_view key) const;
};

// The wire code of a datatype (1..14, docs/PYTHON_WORKER.md) and back (nullopt if unknown).
uint8_t DataTypeCode(DataType type);
std::optional<DataType> DataTypeFromCode(uint8_t code);

// Shared memory a request's bulk tensors may travel in (the worker's memfd arena, mapped).
// A fixed-size tensor of at least kArenaMinBytes goes there, 8-byte aligned from offset 0,
// when the arena is large enough for all of them; its wire datatype code then has
// kArenaFlag set and the data length is followed by the offset instead of the bytes.
// Only Ferry writes arena references: the decoder of worker replies refuses them.
inline constexpr uint64_t kArenaMinBytes = 64 * 1024;
inline constexpr uint8_t kArenaFlag = 0x80;
struct ArenaSpan {
  char* base = nullptr;
  uint64_t size = 0;
};
// The arena bytes EncodeFrame would use for `frame`'s bulk tensors.
uint64_t ArenaBytesNeeded(const Frame& frame);

// Encodes `frame` into one contiguous buffer whose header carries its total length; bulk
// tensors go to `arena` when it holds ArenaBytesNeeded(frame), inline otherwise.
std::string EncodeFrame(const Frame& frame, ArenaSpan arena = {});

// Reads the total frame length from the first kFrameHeaderSize bytes, after checking magic,
// version and bounds: what a receiver needs before it has the whole frame.
absl::StatusOr<uint64_t> PeekFrameLength(std::string_view header);

// Decodes one whole frame. kInvalidArgument "worker frame: offset N: what" for anything
// malformed (bad magic or version, unknown type or datatype, truncation, trailing bytes, a
// length past the end, a shape whose bytes disagree with the data). Never reads out of bounds.
absl::StatusOr<Frame> DecodeFrame(std::string_view bytes);

}  // namespace ferry::runtime::python
