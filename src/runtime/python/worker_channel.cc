#include "runtime/python/worker_channel.h"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "common/strings.h"
#include "runtime/python/worker_frame.h"

namespace ferry::runtime::python {
namespace {

// Waits for `events` on fd until the deadline: OK when ready, kDeadlineExceeded otherwise.
// POLLHUP/POLLERR count as ready, so the following call sees EOF or the error.
absl::Status WaitFor(int fd, short events, Deadline deadline) {
  for (;;) {
    const auto left =
        std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return absl::DeadlineExceededError("worker did not answer in time");
    pollfd p{fd, events, 0};
    const int n = poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), 1 << 30)));
    if (n > 0) return absl::OkStatus();
    if (n < 0 && errno != EINTR) {
      return absl::InternalError(StrCat("poll on the worker socket: ", std::strerror(errno)));
    }
  }
}

absl::Status PeerGone(int err) {
  return absl::UnavailableError(StrCat("worker socket: ", std::strerror(err)));
}

// Receives one packet into `out` (assigned its bytes). kUnavailable on EOF.
absl::Status RecvPacket(int fd, std::string& out, Deadline deadline) {
  // One kPacketBytes buffer per thread, the packet copied out at its length: a string resized
  // to kPacketBytes per call was allocated, zero-filled and freed for every reply (and a free
  // that large makes glibc consolidate its fastbins), on the request's path.
  thread_local std::string buffer(kPacketBytes, '\0');
  for (;;) {
    RETURN_IF_ERROR(WaitFor(fd, POLLIN, deadline));
    const ssize_t n = recv(fd, buffer.data(), buffer.size(), MSG_DONTWAIT | MSG_TRUNC);
    if (n == 0) return absl::UnavailableError("worker closed its socket");
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return PeerGone(errno);
    }
    if (static_cast<size_t>(n) > kPacketBytes) {
      return absl::InvalidArgumentError(
          StrCat("worker frame: packet of ", n, " bytes exceeds ", kPacketBytes));
    }
    out.assign(buffer.data(), static_cast<size_t>(n));
    return absl::OkStatus();
  }
}

}  // namespace

absl::Status SendFrameBytes(int fd, std::string_view frame, Deadline deadline) {
  size_t at = 0;
  while (at < frame.size()) {
    const size_t len = std::min(kPacketBytes, frame.size() - at);
    const ssize_t n = send(fd, frame.data() + at, len, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n >= 0) {
      at += static_cast<size_t>(n);
      continue;
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN) return PeerGone(errno);
    RETURN_IF_ERROR(WaitFor(fd, POLLOUT, deadline));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> RecvFrameBytes(int fd, Deadline deadline) {
  std::string frame;
  RETURN_IF_ERROR(RecvPacket(fd, frame, deadline));
  ASSIGN_OR_RETURN(uint64_t total, PeekFrameLength(frame));
  if (frame.size() > total) {
    return absl::InvalidArgumentError(
        StrCat("worker frame: header says ", total, " bytes, its first packet has ", frame.size()));
  }
  std::string packet;
  while (frame.size() < total) {
    RETURN_IF_ERROR(RecvPacket(fd, packet, deadline));
    if (packet.size() > total - frame.size()) {
      return absl::InvalidArgumentError(
          StrCat("worker frame: packets carry more than the ", total, " bytes its header says"));
    }
    frame.append(packet);
  }
  return frame;
}

}  // namespace ferry::runtime::python
