// ArtifactIndex on SQLite: upsert, lookup, directory listing and deletion with blob GC info.

#include "store/sqlite/testing/sqlite_test_util.h"

namespace ferry::store::sqlite::testing {
namespace {

std::vector<std::string> Paths(const std::vector<ArtifactEntry>& entries) {
  std::vector<std::string> out;
  for (const ArtifactEntry& e : entries) out.push_back(e.path);
  return out;
}

class SqliteArtifactsTest : public SqliteStoreTest {
 protected:
  void SetUp() override {
    SqliteStoreTest::SetUp();
    for (const auto& [path, digest] :
         std::vector<std::pair<std::string, std::string>>{{"a/x", "d1"},
                                                          {"a/y/z", "d2"},
                                                          {"a.txt", "d3"},
                                                          {"a-b/c", "d1"},
                                                          {"ab", "d4"},
                                                          {"a/y0", "d5"},
                                                          {"b", "d6"}}) {
      ASSERT_TRUE(store_->PutArtifact({path, digest, 10, 1000}).ok());
    }
  }
};

TEST_F(SqliteArtifactsTest, OverwriteReportsOnlyUnreferencedOldDigest) {
  auto orphans = store_->PutArtifact({"a/y/z", "d7", 1, 2000});  // d2 only lived at a/y/z
  ASSERT_TRUE(orphans.ok()) << orphans.status();
  EXPECT_EQ(*orphans, std::vector<std::string>{"d2"});
  orphans = store_->PutArtifact({"a/x", "d8", 1, 2000});  // d1 still lives at a-b/c
  ASSERT_TRUE(orphans.ok());
  EXPECT_TRUE(orphans->empty());
  orphans = store_->PutArtifact({"a/x", "d8", 1, 3000});  // same digest again
  ASSERT_TRUE(orphans.ok());
  EXPECT_TRUE(orphans->empty());
}

TEST_F(SqliteArtifactsTest, PutAndGet) {
  auto e = store_->GetArtifact("a/y/z");
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->digest, "d2");
  EXPECT_EQ(e->size, 10);
  EXPECT_EQ(e->created_ms, 1000);
  ASSERT_TRUE(store_->PutArtifact({"a/y/z", "d9", 99, 2000}).ok());
  e = store_->GetArtifact("a/y/z");
  EXPECT_EQ(e->digest, "d9");
  EXPECT_EQ(e->size, 99);
  EXPECT_EQ(store_->GetArtifact("a/y").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->GetArtifact("nope").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(SqliteArtifactsTest, ListUnder) {
  struct {
    std::string dir;
    std::vector<std::string> want;
  } cases[] = {
      {"", {"a-b/c", "a.txt", "a/x", "a/y/z", "a/y0", "ab", "b"}},
      {"a", {"a/x", "a/y/z", "a/y0"}},
      {"a/", {"a/x", "a/y/z", "a/y0"}},
      {"a/y", {"a/y/z"}},
      {"a/x", {"a/x"}},  // a file lists itself
      {"a/q", {}},
      {"c", {}},
  };
  for (const auto& c : cases) {
    auto got = store_->ListArtifactsUnder(c.dir);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(Paths(*got), c.want) << "dir='" << c.dir << "'";
  }
}

TEST_F(SqliteArtifactsTest, DeleteReportsUnreferencedDigests) {
  int64_t removed = -1;
  auto digests = store_->DeleteArtifacts("a", &removed);
  ASSERT_TRUE(digests.ok()) << digests.status();
  EXPECT_EQ(removed, 3);
  // d1 is still used by "a-b/c".
  EXPECT_EQ(*digests, (std::vector<std::string>{"d2", "d5"}));
  EXPECT_EQ(Paths(*store_->ListArtifactsUnder("")),
            (std::vector<std::string>{"a-b/c", "a.txt", "ab", "b"}));
  digests = store_->DeleteArtifacts("a-b/c", &removed);
  EXPECT_EQ(removed, 1);
  EXPECT_EQ(*digests, (std::vector<std::string>{"d1"}));
  digests = store_->DeleteArtifacts("missing", &removed);
  EXPECT_EQ(removed, 0);
  EXPECT_TRUE(digests->empty());
  digests = store_->DeleteArtifacts("", nullptr);
  EXPECT_EQ(*digests, (std::vector<std::string>{"d3", "d4", "d6"}));
  EXPECT_TRUE(store_->ListArtifactsUnder("")->empty());
}

}  // namespace
}  // namespace ferry::store::sqlite::testing
