#include "pipeline/step_cache.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "common/fs.h"
#include "common/testing/test_dir.h"
#include "pipeline/tree_digest.h"

namespace ferry::pipeline {
namespace {

CacheKeyParts Parts() {
  CacheKeyParts p;
  p.kind = "command";
  p.argv = {"sh", "-c", "cp ${inputs.a} ${outputs.b}"};
  p.params = {{"lr", "0.1"}};
  p.input_digests = {{"a", "sha256:aa"}};
  p.outputs = {{"b", "b.txt"}};
  p.extras = {{"cache_key", ""}};
  return p;
}

TEST(CacheKey, IsStableAcrossBuildsAndMachines) {
  // Pinned: a change of the encoding changes every key (and must be deliberate).
  EXPECT_EQ(CacheKey(Parts()),
            "sha256:e2a9a3471725b5e231ae94602c40fabe10db3cfb1cc30b5defd23d3b0d04d66f");
  EXPECT_EQ(CacheKey(Parts()), CacheKey(Parts()));
  EXPECT_EQ(CacheKey(Parts()).size(), 71u);
}

TEST(CacheKey, EveryPartCounts) {
  const std::string base = CacheKey(Parts());
  std::vector<CacheKeyParts> changed(7, Parts());
  changed[0].kind = "train";
  changed[1].argv[2] += " ";
  changed[2].params["lr"] = "0.2";
  changed[3].input_digests["a"] = "sha256:ab";
  changed[4].outputs["b"] = "c.txt";
  changed[5].extras["cache_key"] = "v2";
  // Moving a byte between neighbouring fields must not give the same encoding.
  changed[6].argv = {"sh", "-c", "cp", "${inputs.a} ${outputs.b}"};
  for (const CacheKeyParts& p : changed) EXPECT_NE(CacheKey(p), base);
}

TEST(PathDigest, DirectoriesHashByTreeNotByPlace) {
  testing::TestDir dir;
  for (const std::string& root : {dir.Sub("one"), dir.Sub("two")}) {
    ASSERT_TRUE(MakeDirs(root + "/sub").ok());
    ASSERT_TRUE(WriteFileAtomic(root + "/a.txt", "alpha").ok());
    ASSERT_TRUE(WriteFileAtomic(root + "/sub/b.txt", "beta").ok());
  }
  auto one = PathDigest(dir.path() + "/one"), two = PathDigest(dir.path() + "/two");
  ASSERT_TRUE(one.ok() && two.ok());
  EXPECT_EQ(*one, *two);
  ASSERT_TRUE(WriteFileAtomic(dir.path() + "/two/sub/b.txt", "BETA").ok());
  EXPECT_NE(*PathDigest(dir.path() + "/two"), *one);
  EXPECT_EQ(*PathDigest(dir.path() + "/one/a.txt"),
            "sha256:8ed3f6ad685b959ead7022518e1af76cd816f8e8ec7ccdda1ed4018e8f2223f8");
  EXPECT_EQ(PathDigest(dir.path() + "/none").status().code(), absl::StatusCode::kNotFound);
}

TEST(PathDigest, AFileBehindALinkCounts) {
  testing::TestDir dir;
  ASSERT_TRUE(MakeDirs(dir.path() + "/data").ok());
  ASSERT_TRUE(WriteFileAtomic(dir.path() + "/outside.csv", "1,2").ok());
  ASSERT_EQ(::symlink("../outside.csv", (dir.path() + "/data/link.csv").c_str()), 0);
  ASSERT_EQ(::symlink("nowhere", (dir.path() + "/data/dangling").c_str()), 0);
  auto before = PathDigest(dir.path() + "/data");
  ASSERT_TRUE(before.ok()) << before.status();
  ASSERT_TRUE(WriteFileAtomic(dir.path() + "/outside.csv", "1,3").ok());
  auto after = PathDigest(dir.path() + "/data");
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_NE(*after, *before);  // same link text, other bytes behind it
}

TEST(StepCache, StoreRestoreAndGcKeepsReferencedEntries) {
  testing::TestDir dir;
  const std::string work = dir.Sub("work");
  ASSERT_TRUE(MakeDirs(work + "/model").ok());
  ASSERT_TRUE(WriteFileAtomic(work + "/model/w.bin", "weights").ok());
  ASSERT_TRUE(WriteFileAtomic(work + "/out.txt", "out").ok());
  StepCache cache(dir.path() + "/state");
  const std::string key = CacheKey(Parts());
  CacheEntry entry{key, "run-1", "train", {{"model", "sha256:m"}, {"out", "sha256:o"}}};
  ASSERT_TRUE(cache.Store(entry, {{"model", work + "/model"}, {"out", work + "/out.txt"}}).ok());

  const std::string fresh = dir.Sub("fresh");
  auto hit = cache.Restore(key, {{"model", "model"}, {"out", "sub/out.txt"}}, fresh);
  ASSERT_TRUE(hit.ok()) << hit.status();
  EXPECT_EQ(hit->run_id, "run-1");
  EXPECT_EQ(*ReadFile(fresh + "/model/w.bin"), "weights");
  EXPECT_EQ(*ReadFile(fresh + "/sub/out.txt"), "out");
  EXPECT_EQ(cache.Restore("sha256:" + std::string(64, '0'), {}, fresh).status().code(),
            absl::StatusCode::kNotFound);

  auto kept = cache.Gc({key});
  ASSERT_TRUE(kept.ok());
  EXPECT_TRUE(kept->empty());
  EXPECT_TRUE(cache.Restore(key, {{"out", "o2"}}, fresh).ok());
  auto removed = cache.Gc({});
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, std::vector<std::string>{key});
  EXPECT_FALSE(cache.Restore(key, {{"out", "o3"}}, fresh).ok());
}

}  // namespace
}  // namespace ferry::pipeline
