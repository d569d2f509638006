#include "common/fs.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <optional>

namespace ferry {
namespace {

TEST(FdTest, ClosesOnDestructionAndReleases) {
  int raw = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  ASSERT_GE(raw, 0);
  { Fd fd(raw); }
  EXPECT_EQ(::fcntl(raw, F_GETFD), -1);  // closed by the destructor

  Fd fd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  Fd moved(std::move(fd));
  EXPECT_FALSE(fd.valid());
  int kept = moved.Release();
  EXPECT_FALSE(moved.valid());
  EXPECT_EQ(moved.Close(), 0);            // nothing to close
  EXPECT_NE(::fcntl(kept, F_GETFD), -1);  // Release did not close it
  ::close(kept);
}

TEST(TempDirTest, RemovesTreeWithoutFollowingSymlinks) {
  auto outside = TempDir::Create("ferry-fs-test-outside");
  ASSERT_TRUE(outside.ok()) << outside.status();
  ASSERT_TRUE(WriteFileAtomic(outside->path() + "/keep", "x").ok());
  std::string path;
  {
    auto dir = TempDir::Create("ferry-fs-test");
    ASSERT_TRUE(dir.ok()) << dir.status();
    path = dir->path();
    ASSERT_TRUE(MakeDirs(path + "/a/b").ok());
    ASSERT_TRUE(WriteFileAtomic(path + "/a/b/file", "data").ok());
    ASSERT_EQ(::symlink(outside->path().c_str(), (path + "/a/link").c_str()), 0);
    std::optional<TempDir> moved(std::move(*dir));
    EXPECT_EQ(moved->path(), path);
  }
  EXPECT_FALSE(PathExists(path));
  EXPECT_TRUE(PathExists(outside->path() + "/keep"));
}

TEST(WriteAllTest, WritesEverythingAndNamesThePathOnError) {
  auto dir = TempDir::Create("ferry-fs-test");
  ASSERT_TRUE(dir.ok());
  std::string path;
  auto fd = MakeTempFile(dir->path(), &path);
  ASSERT_TRUE(fd.ok()) << fd.status();
  std::string data(3 << 20, 'z');
  ASSERT_TRUE(WriteAll(fd->get(), data, path).ok());
  EXPECT_EQ(ReadFile(path)->size(), data.size());
  absl::Status bad = WriteAll(-1, "x", "/some/file");
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(std::string(bad.message()).find("/some/file"), std::string::npos) << bad;
  EXPECT_TRUE(RemoveTree(dir->path() + "/absent").ok());
}

}  // namespace
}  // namespace ferry
