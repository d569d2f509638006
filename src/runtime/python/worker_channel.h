#pragma once
// Moves whole frames over a worker's SOCK_SEQPACKET socket: one frame is one packet, or, past
// kPacketBytes, a run of packets the receiver joins by the length in the first one's header.
// Both calls stop at a deadline; neither hangs on a dead or silent peer.

#include <chrono>
#include <string>
#include <string_view>

#include "common/status.h"

namespace ferry::runtime::python {

using Deadline = std::chrono::steady_clock::time_point;
inline constexpr size_t kPacketBytes = 65536;

// Sends `frame` (an EncodeFrame result). kUnavailable when the peer is gone (EPIPE,
// ECONNRESET), kDeadlineExceeded when it does not take the bytes before `deadline`.
absl::Status SendFrameBytes(int fd, std::string_view frame, Deadline deadline);

// Receives one whole frame. kUnavailable "worker closed its socket" on EOF or hang-up,
// kDeadlineExceeded when nothing complete arrives before `deadline`, kInvalidArgument
// ("worker frame: ...") when the packets do not form a frame.
absl::StatusOr<std::string> RecvFrameBytes(int fd, Deadline deadline);

}  // namespace ferry::runtime::python
