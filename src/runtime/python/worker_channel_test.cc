#include "runtime/python/worker_channel.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <vector>

#include "runtime/python/worker_frame.h"

namespace ferry::runtime::python {
namespace {

class WorkerChannel : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, fds_), 0); }
  void TearDown() override {
    close(fds_[0]);
    close(fds_[1]);
  }
  static Deadline Soon() { return std::chrono::steady_clock::now() + std::chrono::seconds(5); }

  std::string Frame1(size_t doubles) {
    Frame f;
    f.type = FrameType::kResult;
    f.request_id = ++id_;
    std::vector<double> values(doubles);
    for (size_t i = 0; i < doubles; ++i) values[i] = static_cast<double>(i) + 0.5 * id_;
    f.tensors.push_back(MakeFp64Tensor("x", {static_cast<int64_t>(doubles)}, values));
    return EncodeFrame(f);
  }

  int fds_[2] = {-1, -1};
  uint64_t id_ = 0;
};

// Frames of one packet and of several, in any order, come back byte for byte: the receive
// buffer a thread reuses holds nothing of an earlier, longer packet.
TEST_F(WorkerChannel, FramesOfOneAndSeveralPacketsRoundTrip) {
  const std::vector<size_t> sizes = {20000, 3, 1, 9000, 30000, 0, 2};
  for (size_t doubles : sizes) {
    const std::string sent = Frame1(doubles);
    if (doubles == 20000 || doubles == 30000) {
      ASSERT_GT(sent.size(), kPacketBytes);
    }
    if (doubles <= 3) {
      ASSERT_LT(sent.size(), 256u);
    }
    ASSERT_TRUE(SendFrameBytes(fds_[0], sent, Soon()).ok());
    absl::StatusOr<std::string> got = RecvFrameBytes(fds_[1], Soon());
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(*got, sent) << doubles << " doubles";
  }
}

TEST_F(WorkerChannel, ClosedPeerAndSilenceAreErrors) {
  absl::StatusOr<std::string> silent =
      RecvFrameBytes(fds_[1], std::chrono::steady_clock::now() + std::chrono::milliseconds(20));
  EXPECT_EQ(silent.status().code(), absl::StatusCode::kDeadlineExceeded);
  close(fds_[0]);
  fds_[0] = socket(AF_UNIX, SOCK_SEQPACKET, 0);  // TearDown closes something valid
  absl::StatusOr<std::string> closed = RecvFrameBytes(fds_[1], Soon());
  EXPECT_EQ(closed.status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace ferry::runtime::python
