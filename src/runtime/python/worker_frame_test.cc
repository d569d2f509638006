#include "runtime/python/worker_frame.h"

#include <gtest/gtest.h>

#include <cstring>

#include "common/strings.h"

namespace ferry::runtime::python {
namespace {

Frame Sample() {
  Frame f;
  f.type = FrameType::kResult;
  f.request_id = 42;
  f.deadline_us = 1234567;
  f.params = {{"kind", "ndarray"}, {"py_us", "17"}};
  f.tensors.push_back(MakeFp64Tensor("x", {3}, {1.5, -2.0, 3.25}));
  f.tensors.push_back(MakeBytesTensor("s", {2}, {"gold", ""}));
  f.tensors.push_back(MakeInt64Tensor("m", {2, 2}, {1, 2, 3, 4}));
  return f;
}

TEST(WorkerFrame, RoundTrips) {
  const std::string bytes = EncodeFrame(Sample());
  ASSERT_EQ(*PeekFrameLength(bytes), bytes.size());
  absl::StatusOr<Frame> back = DecodeFrame(bytes);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->type, FrameType::kResult);
  EXPECT_EQ(back->request_id, 42u);
  EXPECT_EQ(back->deadline_us, 1234567u);
  EXPECT_EQ(back->Param("kind"), "ndarray");
  EXPECT_EQ(back->Param("absent"), "");
  ASSERT_EQ(back->tensors.size(), 3u);
  EXPECT_EQ(back->tensors[0].name, "x");
  EXPECT_EQ(back->tensors[0].As<double>()[2], 3.25);
  EXPECT_EQ(back->tensors[1].strings, (std::vector<std::string>{"gold", ""}));
  EXPECT_EQ(back->tensors[2].shape, (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(back->tensors[2].As<int64_t>()[3], 4);
}

TEST(WorkerFrame, TensorDataIsEightByteAligned) {
  const std::string bytes = EncodeFrame(Sample());
  // The FP64 data of "x" follows its header: find 1.5 in the bytes.
  const double first = 1.5;
  const size_t at = bytes.find(std::string(reinterpret_cast<const char*>(&first), 8));
  ASSERT_NE(at, std::string::npos);
  EXPECT_EQ(at % 8, 0u);
}

TEST(WorkerFrame, EveryDatatypeCodeRoundTrips) {
  for (uint8_t code = 1; code <= 14; ++code) {
    ASSERT_TRUE(DataTypeFromCode(code).has_value());
    EXPECT_EQ(DataTypeCode(*DataTypeFromCode(code)), code);
  }
  EXPECT_FALSE(DataTypeFromCode(0).has_value());
  EXPECT_FALSE(DataTypeFromCode(15).has_value());
}

// Every truncation of a valid frame is refused with an offset, never read past.
TEST(WorkerFrame, EveryTruncationIsAPreciseError) {
  const std::string bytes = EncodeFrame(Sample());
  for (size_t n = 0; n < bytes.size(); ++n) {
    absl::StatusOr<Frame> f = DecodeFrame(std::string_view(bytes).substr(0, n));
    ASSERT_FALSE(f.ok()) << n;
    EXPECT_EQ(f.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(StatusMessage(f.status()).substr(0, 20), "worker frame: offset") << f.status();
  }
}

void Patch(std::string& bytes, size_t at, const void* value, size_t n) {
  std::memcpy(bytes.data() + at, value, n);
}

TEST(WorkerFrame, MalformedFieldsAreNamed) {
  const std::string good = EncodeFrame(Sample());
  struct Case {
    size_t at;
    std::vector<uint8_t> value;
    std::string want;
  } cases[] = {
      {0, {0, 0, 0, 0}, "bad magic"},
      {4, {9, 0}, "version 9"},
      {6, {77, 0}, "unknown frame type 77"},
      {32, {0xff, 0xff, 0xff, 0x7f}, "exceed the limit"},
  };
  for (const Case& c : cases) {
    std::string bytes = good;
    Patch(bytes, c.at, c.value.data(), c.value.size());
    absl::StatusOr<Frame> f = DecodeFrame(bytes);
    ASSERT_FALSE(f.ok()) << c.want;
    EXPECT_NE(StatusMessage(f.status()).find(c.want), std::string::npos) << f.status();
  }
}

TEST(WorkerFrame, ShapeDisagreeingWithDataIsRefused) {
  Frame f;
  f.type = FrameType::kResult;
  Tensor t = MakeFp64Tensor("y", {2}, {1, 2});
  t.shape = {3};
  f.tensors.push_back(t);
  absl::StatusOr<Frame> back = DecodeFrame(EncodeFrame(f));
  ASSERT_FALSE(back.ok());
  EXPECT_NE(StatusMessage(back.status()).find("needs 24 bytes, got 16"), std::string::npos)
      << back.status();
}

TEST(WorkerFrame, LengthMismatchAndTrailingBytesAreRefused) {
  std::string bytes = EncodeFrame(Sample());
  absl::StatusOr<Frame> f = DecodeFrame(bytes + "x");
  ASSERT_FALSE(f.ok());
  EXPECT_NE(StatusMessage(f.status()).find("header says"), std::string::npos);
  const uint64_t huge = uint64_t{1} << 40;
  Patch(bytes, 24, &huge, 8);
  EXPECT_NE(PeekFrameLength(bytes).status().message().find("outside"), std::string::npos);
}

TEST(WorkerFrame, HugeElementCountOfBytesIsRefusedBeforeAllocating) {
  Frame f;
  f.type = FrameType::kResult;
  Tensor t = MakeBytesTensor("s", {1}, {"a"});
  t.shape = {int64_t{1} << 38};
  f.tensors.push_back(t);
  absl::StatusOr<Frame> back = DecodeFrame(EncodeFrame(f));
  ASSERT_FALSE(back.ok());
  EXPECT_NE(StatusMessage(back.status()).find("BYTES elements"), std::string::npos)
      << back.status();
}

// Bulk tensors of a request go to the arena; small ones and BYTES stay inline. The decoder of
// worker replies refuses arena references (a worker never sends them).
TEST(WorkerFrame, BulkTensorsGoToTheArena) {
  Frame f;
  f.type = FrameType::kPredict;
  std::vector<double> big(kArenaMinBytes / 8 + 1, 2.5);
  f.tensors.push_back(MakeFp64Tensor("big", {static_cast<int64_t>(big.size())}, big));
  f.tensors.push_back(MakeFp64Tensor("small", {1}, {1.0}));
  f.tensors.push_back(MakeBytesTensor("s", {1}, {std::string(kArenaMinBytes, 'x')}));
  const uint64_t need = ArenaBytesNeeded(f);
  EXPECT_EQ(need, (big.size() * 8 + 7) / 8 * 8);
  std::string arena(need, '\0');
  const std::string bytes = EncodeFrame(f, ArenaSpan{arena.data(), arena.size()});
  EXPECT_LT(bytes.size(), EncodeFrame(f).size() - big.size() * 8 + 64);
  EXPECT_EQ(arena.substr(0, big.size() * 8), f.tensors[0].data);
  absl::StatusOr<Frame> back = DecodeFrame(bytes);
  ASSERT_FALSE(back.ok());
  EXPECT_NE(StatusMessage(back.status()).find("unknown datatype code 140"), std::string::npos)
      << back.status();
  // An arena too small for the bulk: everything goes inline.
  std::string tiny(8, '\0');
  EXPECT_EQ(EncodeFrame(f, ArenaSpan{tiny.data(), tiny.size()}), EncodeFrame(f));
}

}  // namespace
}  // namespace ferry::runtime::python
