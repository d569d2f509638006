#include "common/fs.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <optional>
#include <vector>

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

TEST(TempDirTest, CreateBesideMovesIntoPlaceOrCleansUp) {
  auto root = TempDir::Create("ferry-fs-test");
  ASSERT_TRUE(root.ok());
  const std::string target = root->path() + "/out";
  std::string staged;
  {
    auto dir = TempDir::CreateBeside(target + "/", "unpack");
    ASSERT_TRUE(dir.ok()) << dir.status();
    staged = dir->path();
    EXPECT_EQ(staged.rfind(target + ".unpack-", 0), 0u) << staged;
    ASSERT_TRUE(WriteFileAtomic(staged + "/f", "x").ok());
    ASSERT_TRUE(ClearRenameTarget(target).ok());
    ASSERT_TRUE(dir->MoveTo(target).ok());
    EXPECT_TRUE(dir->path().empty());
  }
  EXPECT_EQ(*ReadFile(target + "/f"), "x");  // not removed: ownership went with the rename
  EXPECT_FALSE(PathExists(staged));
  EXPECT_EQ(ClearRenameTarget(target).code(), absl::StatusCode::kAlreadyExists);

  {
    auto dir = TempDir::CreateBeside(target, "import");
    ASSERT_TRUE(dir.ok());
    staged = dir->path();
    EXPECT_FALSE(dir->MoveTo(target).ok());  // target not empty: the TempDir still owns it
  }
  EXPECT_FALSE(PathExists(staged));
  auto kept = TempDir::CreateBeside(target, "kept");
  ASSERT_TRUE(kept.ok());
  staged = kept->Release();
  kept = TempDir::CreateBeside(target, "other");
  EXPECT_TRUE(PathExists(staged));
  EXPECT_TRUE(RemoveTree(staged).ok());
}

TEST(ListDirTest, NamesWithoutDotsAndErrorsNameThePath) {
  auto dir = TempDir::Create("ferry-fs-test");
  ASSERT_TRUE(dir.ok());
  ASSERT_TRUE(MakeDirs(dir->path() + "/sub").ok());
  ASSERT_TRUE(WriteFileAtomic(dir->path() + "/a", "1").ok());
  auto names = ListDir(dir->path());
  ASSERT_TRUE(names.ok());
  std::sort(names->begin(), names->end());
  EXPECT_EQ(*names, (std::vector<std::string>{"a", "sub"}));
  auto missing = ListDir(dir->path() + "/none");
  EXPECT_FALSE(missing.ok());
  EXPECT_NE(std::string(missing.status().message()).find("/none"), std::string::npos);
}

TEST(ListTreeTest, RegularFilesBelowSortedAndRelative) {
  auto dir = TempDir::Create("ferry-fs-test");
  ASSERT_TRUE(dir.ok());
  ASSERT_TRUE(MakeDirs(dir->path() + "/code/deep").ok());
  ASSERT_TRUE(MakeDirs(dir->path() + "/empty").ok());
  ASSERT_TRUE(WriteFileAtomic(dir->path() + "/model.json", "{}").ok());
  ASSERT_TRUE(WriteFileAtomic(dir->path() + "/code/loader.py", "x").ok());
  ASSERT_TRUE(WriteFileAtomic(dir->path() + "/code/deep/a", "y").ok());
  ASSERT_EQ(::symlink("/etc", (dir->path() + "/link").c_str()), 0);  // not followed
  auto files = ListTree(dir->path());
  ASSERT_TRUE(files.ok()) << files.status();
  EXPECT_EQ(*files, (std::vector<std::string>{"code/deep/a", "code/loader.py", "model.json"}));
  EXPECT_FALSE(ListTree(dir->path() + "/none").ok());
}

}  // namespace
}  // namespace ferry
