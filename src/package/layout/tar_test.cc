#include "package/layout/tar.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>

#include "common/file_hash.h"
#include "common/fs.h"

namespace ferry::package {
namespace {

// Builds an archive in a temp file with `fill` and returns its bytes.
template <typename Fill>
std::string MakeTar(Fill fill) {
  char tmpl[] = "/tmp/ferry-tar-test-XXXXXX";
  int fd = ::mkstemp(tmpl);
  EXPECT_GE(fd, 0);
  TarWriter w(fd, tmpl);
  fill(w);
  ::close(fd);
  auto bytes = ReadFile(tmpl);
  ::unlink(tmpl);
  return *bytes;
}

struct Read {
  std::vector<TarEntry> entries;
  std::vector<std::string> data;
  absl::Status status;
};

Read ReadAll(const std::string& tar) {
  MemorySource src(tar);
  TarReader r(src);
  Read out;
  while (true) {
    auto e = r.Next();
    if (!e.ok()) {
      out.status = e.status();
      return out;
    }
    if (!e->has_value()) return out;
    std::string data;
    char buf[100];
    while (true) {
      auto n = r.ReadData(buf, sizeof(buf));
      if (!n.ok()) {
        out.status = n.status();
        return out;
      }
      if (*n == 0) break;
      data.append(buf, *n);
    }
    out.entries.push_back(**e);
    out.data.push_back(data);
  }
}

TEST(TarTest, RoundTrip) {
  const std::string long_name = std::string(150, 'n') + "/file";
  std::string tar = MakeTar([&](TarWriter& w) {
    ASSERT_TRUE(w.AddDirectory("blobs/").ok());
    ASSERT_TRUE(w.AddBytes("a.txt", "hello").ok());
    ASSERT_TRUE(w.AddBytes(long_name, std::string(1000, 'x')).ok());
    ASSERT_TRUE(w.AddBytes("empty", "").ok());
    ASSERT_TRUE(w.Finish().ok());
  });
  EXPECT_EQ(tar.size() % kTarBlock, 0u);
  Read r = ReadAll(tar);
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.entries.size(), 4u);
  EXPECT_EQ(r.entries[0].type, TarEntry::Type::kDirectory);
  EXPECT_EQ(r.entries[1].name, "a.txt");
  EXPECT_EQ(r.data[1], "hello");
  EXPECT_EQ(r.entries[2].name, long_name);
  EXPECT_EQ(r.data[2], std::string(1000, 'x'));
  EXPECT_EQ(r.entries[3].size, 0);
  // Trailing garbage after the end marker is ignored.
  EXPECT_TRUE(ReadAll(tar + "garbage").status.ok());
}

TEST(TarTest, SkipsUnreadData) {
  std::string tar = MakeTar([](TarWriter& w) {
    ASSERT_TRUE(w.AddBytes("a", std::string(700, 'a')).ok());
    ASSERT_TRUE(w.AddBytes("b", "b").ok());
    ASSERT_TRUE(w.Finish().ok());
  });
  MemorySource src(tar);
  TarReader r(src);
  ASSERT_EQ((*r.Next())->name, "a");
  ASSERT_EQ((*r.Next())->name, "b");
  EXPECT_FALSE(r.Next()->has_value());
}

TEST(TarTest, Errors) {
  std::string tar = MakeTar([](TarWriter& w) {
    ASSERT_TRUE(w.AddBytes("a.txt", std::string(600, 'a')).ok());
    ASSERT_TRUE(w.Finish().ok());
  });
  static const struct {
    size_t cut;
    const char* want;
  } truncations[] = {
      {0, "header at offset 0: archive is truncated"},
      {100, "header at offset 0: archive is truncated"},
      {600, "entry \"a.txt\": archive is truncated"},
      {1536, "header at offset 1536: archive is truncated"},
      {2048, "end-of-archive marker: archive is truncated"},
  };
  for (const auto& t : truncations) {
    Read r = ReadAll(tar.substr(0, t.cut));
    EXPECT_NE(std::string(r.status.message()).find(t.want), std::string::npos)
        << t.cut << ": " << r.status;
  }
  std::string bad = tar;
  bad[0] = 'b';
  EXPECT_NE(std::string(ReadAll(bad).status.message()).find("bad header checksum"),
            std::string::npos);
  bad = tar;
  bad[130] = '9';  // inside the size field; fix the checksum so the size check fires
  EXPECT_FALSE(ReadAll(bad).status.ok());
}

}  // namespace
}  // namespace ferry::package
