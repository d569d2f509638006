#include "package/build/contents.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "common/file_hash.h"
#include "common/fs.h"
#include "common/testing/test_dir.h"
#include "package/build/builder.h"

namespace ferry::package {
namespace {

class ContentsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = tmp_.path();
    const std::string model = root_ + "/model";
    ASSERT_TRUE(MakeDirs(model + "/sub").ok());
    std::ofstream(model + "/model.onnx", std::ios::binary) << std::string(5000, 'w');
    std::ofstream(model + "/sub/notes.md") << "notes\n";
    std::ofstream(model + "/sub/run.sh") << "#!/bin/sh\n";
    ::chmod((model + "/sub/run.sh").c_str(), 0755);
    BuildOptions o;
    o.model_dir = model;
    o.out_dir = root_ + "/layout";
    o.name = "m";
    o.version = "v1";
    o.created_at = "2025-01-01T00:00:00Z";
    auto r = Build(o);
    ASSERT_TRUE(r.ok()) << r.status();
    built_ = *r;
    auto layout = OciLayout::Open(o.out_dir);
    ASSERT_TRUE(layout.ok());
    layout_ = std::move(*layout);
  }

  // Rewrites a blob file in place with `content`.
  void Overwrite(const std::string& digest, const std::string& content) {
    std::string path = layout_->BlobPath(digest);
    ::chmod(path.c_str(), 0644);
    std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
  }
  void FlipByte(const std::string& digest, size_t at) {
    auto bytes = ReadFile(layout_->BlobPath(digest));
    ASSERT_TRUE(bytes.ok());
    (*bytes)[at] ^= 1;
    Overwrite(digest, *bytes);
  }
  std::string VerifyError() {
    auto r = VerifyContents(*layout_, "v1");
    return r.ok() ? "OK" : std::string(r.status().message());
  }

  ferry::testing::TestDir tmp_{"ferry-contents-test"};
  std::string root_;
  BuildResult built_;
  std::unique_ptr<OciLayout> layout_;
};

TEST_F(ContentsTest, VerifiesAndResolves) {
  auto r = VerifyContents(*layout_, "v1");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->manifest_descriptor.digest, built_.manifest.digest);
  EXPECT_EQ(r->config.descriptor.name, "m");
  EXPECT_TRUE(VerifyContents(*layout_, built_.manifest.digest).ok());
  EXPECT_TRUE(VerifyContents(*layout_, "").ok());
  EXPECT_EQ(VerifyContents(*layout_, "v2").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(ContentsTest, FlippedByteInAnyBlobIsNamed) {
  const std::string layer = built_.manifest_value.layers[0].digest;
  const std::string config = built_.manifest_value.config.digest;
  const std::string manifest = built_.manifest.digest;
  for (const std::string& digest : {layer, config, manifest}) {
    auto original = ReadFile(layout_->BlobPath(digest));
    ASSERT_TRUE(original.ok());
    FlipByte(digest, 3);
    std::string err = VerifyError();
    EXPECT_NE(err.find("blob " + digest), std::string::npos) << err;
    EXPECT_NE(err.find("does not match the digest"), std::string::npos) << err;
    Overwrite(digest, *original);
    EXPECT_EQ(VerifyError(), "OK");
  }
}

TEST_F(ContentsTest, MissingAndTruncatedBlobs) {
  const Descriptor& layer = built_.manifest_value.layers[0];
  auto original = ReadFile(layout_->BlobPath(layer.digest));
  ASSERT_TRUE(original.ok());
  Overwrite(layer.digest, original->substr(0, 100));
  std::string err = VerifyError();
  EXPECT_NE(err.find("layers[0] (model.onnx): blob " + layer.digest + ": size is 100 bytes"),
            std::string::npos)
      << err;
  ::unlink(layout_->BlobPath(layer.digest).c_str());
  err = VerifyError();
  EXPECT_NE(err.find("blob " + layer.digest + " is missing"), std::string::npos) << err;
}

TEST_F(ContentsTest, RejectsForeignManifests) {
  Manifest m = built_.manifest_value;
  m.artifact_type = "application/x-other";
  ASSERT_TRUE(layout_->AddManifest(m, "v1").ok());
  EXPECT_NE(VerifyError().find("artifactType"), std::string::npos);
  m = built_.manifest_value;
  m.layers.pop_back();
  ASSERT_TRUE(layout_->AddManifest(m, "v1").ok());
  EXPECT_NE(VerifyError().find("modelfs.diffIds has 3 entries for 2 layers"), std::string::npos);
  m = built_.manifest_value;
  m.layers[0].annotations[kAnnotationFilepath] = "../evil";
  ASSERT_TRUE(layout_->AddManifest(m, "v1").ok());
  EXPECT_NE(VerifyError().find("escapes its root"), std::string::npos) << VerifyError();
  EXPECT_FALSE(Unpack(*layout_, "v1", root_ + "/out").ok());
  EXPECT_FALSE(PathExists(root_ + "/out"));
}

TEST_F(ContentsTest, UnpackWritesFilesBack) {
  auto r = Unpack(*layout_, "v1", root_ + "/out");
  ASSERT_TRUE(r.ok()) << r.status();
  auto onnx = ReadFile(root_ + "/out/model.onnx");
  ASSERT_TRUE(onnx.ok());
  EXPECT_EQ(*onnx, std::string(5000, 'w'));
  auto notes = ReadFile(root_ + "/out/sub/notes.md");
  ASSERT_TRUE(notes.ok());
  EXPECT_EQ(*notes, "notes\n");
  struct stat st;
  ASSERT_EQ(::stat((root_ + "/out/sub/run.sh").c_str(), &st), 0);
  EXPECT_NE(st.st_mode & 0100, 0u);  // the execute bit survives the round trip
  ASSERT_EQ(::stat((root_ + "/out/model.onnx").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0111, 0u);
  EXPECT_EQ(Unpack(*layout_, "v1", root_ + "/out").status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(ContentsTest, UnpackOfTamperedLayerLeavesNothing) {
  FlipByte(built_.manifest_value.layers[1].digest, 0);
  auto r = Unpack(*layout_, "v1", root_ + "/out2");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(std::string(r.status().message()).find("layers[1] (sub/notes.md)"), std::string::npos)
      << r.status();
  EXPECT_FALSE(PathExists(root_ + "/out2"));
  std::system(("ls " + root_ + " | grep -c unpack > " + root_ + "/count").c_str());
  EXPECT_EQ(*ReadFile(root_ + "/count"), "0\n");
}

}  // namespace
}  // namespace ferry::package
