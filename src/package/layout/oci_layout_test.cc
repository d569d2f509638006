#include "package/layout/oci_layout.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "common/fs.h"
#include "common/sha256.h"
#include "common/testing/test_dir.h"

namespace ferry::package {
namespace {

class OciLayoutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = tmp_.path();
    dir_ = root_ + "/layout";
  }

  std::string WriteFile(const std::string& name, const std::string& content) {
    std::string path = root_ + "/" + name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  ferry::testing::TestDir tmp_{"ferry-layout-test"};
  std::string root_;
  std::string dir_;
};

TEST_F(OciLayoutTest, CreateOpenAndBlobs) {
  auto layout = OciLayout::Create(dir_);
  ASSERT_TRUE(layout.ok()) << layout.status();
  EXPECT_TRUE(PathExists(dir_ + "/oci-layout"));
  auto d = (*layout)->PutBlob("hello", kModelDocRaw);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->digest, "sha256:" + Sha256Hex("hello"));
  EXPECT_EQ(d->size, 5);
  EXPECT_TRUE((*layout)->HasBlob(d->digest));
  EXPECT_EQ((*layout)->BlobPath(d->digest), dir_ + "/blobs/sha256/" + Sha256Hex("hello"));
  auto bytes = (*layout)->ReadBlob(d->digest, 100);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(*bytes, "hello");
  EXPECT_EQ((*layout)->ReadBlob(d->digest, 4).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE((*layout)->CheckBlob(*d).ok());
  ASSERT_TRUE(OciLayout::Open(dir_).ok());
  // Create on an existing layout opens it.
  ASSERT_TRUE(OciLayout::Create(dir_).ok());
}

TEST_F(OciLayoutTest, CreateRefusesNonEmptyDir) {
  ASSERT_TRUE(MakeDirs(dir_).ok());
  WriteFile("layout/x", "x");
  EXPECT_EQ(OciLayout::Create(dir_).status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(OciLayout::Open(dir_).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(OciLayoutTest, PutBlobFromFileLargerThanChunks) {
  std::string content;
  for (int i = 0; i < 3'000'000; ++i) content.push_back(static_cast<char>(i * 7));
  std::string path = WriteFile("big", content);
  auto layout = OciLayout::Create(dir_);
  ASSERT_TRUE(layout.ok());
  int64_t last = 0, total = 0;
  auto d = (*layout)->PutBlobFromFile(path, kModelWeightRaw, [&](const Progress& p) {
    last = p.done;
    total = p.total;
  });
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->digest, "sha256:" + Sha256Hex(content));
  EXPECT_EQ(d->size, static_cast<int64_t>(content.size()));
  EXPECT_EQ(last, d->size);
  EXPECT_EQ(total, d->size);
  auto stored = ReadFile((*layout)->BlobPath(d->digest));
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(*stored == content, true);
  EXPECT_TRUE((*layout)->CheckBlob(*d).ok());
  EXPECT_FALSE((*layout)->PutBlobFromFile(root_ + "/missing", kModelWeightRaw).ok());
  EXPECT_FALSE((*layout)->PutBlobFromFile(root_, kModelWeightRaw).ok());
}

TEST_F(OciLayoutTest, CheckBlobErrors) {
  auto layout = OciLayout::Create(dir_);
  ASSERT_TRUE(layout.ok());
  auto d = (*layout)->PutBlob("hello", kModelDocRaw);
  ASSERT_TRUE(d.ok());
  Descriptor wrong_size = *d;
  wrong_size.size = 6;
  absl::Status s = (*layout)->CheckBlob(wrong_size);
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(std::string(s.message()).find(d->digest), std::string::npos);
  Descriptor missing{kModelDocRaw, "sha256:" + std::string(64, '0'), 1, "", {}};
  EXPECT_EQ((*layout)->CheckBlob(missing).code(), absl::StatusCode::kNotFound);
  // Flip a byte in place.
  std::string path = (*layout)->BlobPath(d->digest);
  ::chmod(path.c_str(), 0644);
  std::ofstream(path, std::ios::binary) << "hellO";
  EXPECT_EQ((*layout)->CheckBlob(*d).code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ((*layout)->ReadBlob(d->digest, 100).status().code(), absl::StatusCode::kDataLoss);
}

TEST_F(OciLayoutTest, AddManifestReplacesTag) {
  auto layout = OciLayout::Create(dir_);
  ASSERT_TRUE(layout.ok());
  auto cfg = (*layout)->PutBlob("{}", kOciEmpty);
  ASSERT_TRUE(cfg.ok());
  Manifest m;
  m.artifact_type = kModelArtifact;
  m.config = *cfg;
  auto first = (*layout)->AddManifest(m, "v1");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(cfg->digest, kEmptyJsonDigest);
  m.annotations["x"] = "y";
  auto second = (*layout)->AddManifest(m, "v1");
  ASSERT_TRUE(second.ok());
  ASSERT_TRUE((*layout)->AddManifest(m, "other").ok());
  auto index = (*layout)->ReadIndex();
  ASSERT_TRUE(index.ok());
  ASSERT_EQ(index->manifests.size(), 2u);
  auto found = (*layout)->FindRef("v1");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->digest, second->digest);
  EXPECT_EQ(found->artifact_type, kModelArtifact);
  EXPECT_EQ((*layout)->FindRef("v2").status().code(), absl::StatusCode::kNotFound);
  auto read = (*layout)->ReadManifest(second->digest);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->annotations.at("x"), "y");
}

}  // namespace
}  // namespace ferry::package
