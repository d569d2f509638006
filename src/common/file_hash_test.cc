#include "common/file_hash.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include "common/fs.h"
#include "common/sha256.h"
#include "common/testing/test_dir.h"

namespace ferry {
namespace {

std::string Pattern(size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s.push_back(static_cast<char>(i * 31 + i / 7));
  return s;
}

class FileIoTest : public ::testing::Test {
 protected:
  void SetUp() override { root_ = tmp_.path(); }
  ferry::testing::TestDir tmp_{"ferry-fileio-test"};
  std::string root_;
};

TEST_F(FileIoTest, CopyAndHashFromAFile) {
  const std::string content = Pattern(9'000'001);  // several 8 MiB copy chunks, odd tail
  const std::string src = root_ + "/src";
  std::ofstream(src, std::ios::binary) << content;
  auto in = OpenRegularFile(src, nullptr);
  ASSERT_TRUE(in.ok());
  std::string dst_path;
  auto dst = MakeTempFile(root_, &dst_path);
  ASSERT_TRUE(dst.ok());
  int64_t last = 0;
  auto h =
      CopyAndHash(in->get(), src, dst->get(), dst_path, [&](const Progress& p) { last = p.done; });
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_EQ(h->hex, Sha256Hex(content));
  EXPECT_EQ(h->size, static_cast<int64_t>(content.size()));
  EXPECT_EQ(last, h->size);
  EXPECT_TRUE(*ReadFile(dst_path) == content);
}

// A pipe cannot be copy_file_range'd: the read + write path takes over.
TEST_F(FileIoTest, CopyAndHashFallsBackForPipes) {
  const std::string content = Pattern(3'000'000);
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::thread feeder([&] {
    (void)WriteAll(fds[1], content, "pipe");
    ::close(fds[1]);
  });
  std::string dst_path;
  auto dst = MakeTempFile(root_, &dst_path);
  ASSERT_TRUE(dst.ok());
  auto h = CopyAndHash(fds[0], "pipe", dst->get(), dst_path, nullptr);
  feeder.join();
  ::close(fds[0]);
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_EQ(h->hex, Sha256Hex(content));
  EXPECT_TRUE(*ReadFile(dst_path) == content);
}

TEST_F(FileIoTest, HashFdAndRemoveTree) {
  const std::string content = Pattern(2'500'000);
  ASSERT_TRUE(MakeDirs(root_ + "/a/b").ok());
  std::ofstream(root_ + "/a/b/f", std::ios::binary) << content;
  auto fd = OpenRegularFile(root_ + "/a/b/f", nullptr);
  ASSERT_TRUE(fd.ok());
  auto h = HashFd(fd->get(), "f", nullptr);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->hex, Sha256Hex(content));
  EXPECT_TRUE(RemoveTree(root_ + "/a").ok());
  EXPECT_FALSE(PathExists(root_ + "/a"));
  EXPECT_TRUE(RemoveTree(root_ + "/a").ok());
}

}  // namespace
}  // namespace ferry
