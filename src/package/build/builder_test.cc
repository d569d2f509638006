#include "package/build/builder.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "common/fs.h"
#include "common/testing/test_dir.h"
#include "package/build/contents.h"
#include "package/layout/oci_layout.h"

namespace ferry::package {
namespace {

class BuilderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = tmp_.path();
    model_ = root_ + "/model";
    ASSERT_TRUE(MakeDirs(model_ + "/sub").ok());
    Write("model.onnx", std::string(3000, 'w'));
    Write("README.md", "# model\n");
    Write("sub/train.py", "print(1)\n");
    Write("requirements.txt", "numpy==1.26.4\npandas>=2\n");
    Write(
        "ferry-package.json",
        R"({"descriptor":{"description":"demo"},"ferry":{"predictor":{"kind":"builtin",)"
        R"("family":"linear"},"schema":{"inputs":[{"name":"x","type":"float32","shape":[-1,2]}]}}})");
  }

  void Write(const std::string& rel, const std::string& content) {
    std::ofstream(model_ + "/" + rel, std::ios::binary) << content;
  }
  BuildOptions Options(const std::string& out) {
    BuildOptions o;
    o.model_dir = model_;
    o.out_dir = root_ + "/" + out;
    o.name = "demo";
    o.version = "1.0";
    o.created_at = "2025-01-01T00:00:00Z";
    o.source_run_id = "run1";
    o.metrics["rmse"] = 0.5;
    return o;
  }

  ferry::testing::TestDir tmp_{"ferry-builder-test"};
  std::string root_;
  std::string model_;
};

TEST_F(BuilderTest, BuildsAReproduciblePackage) {
  int64_t progress_calls = 0;
  BuildOptions o = Options("out1");
  o.progress = [&](const Progress& p) {
    ++progress_calls;
    EXPECT_EQ(p.unit, ProgressUnit::kBytes);
    EXPECT_FALSE(p.label.empty());
    EXPECT_EQ(p.label.find(root_), std::string_view::npos) << p.label;  // relative paths
  };
  auto r = Build(o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_GT(progress_calls, 0);
  const Manifest& m = r->manifest_value;
  ASSERT_EQ(m.layers.size(), 5u);
  std::vector<std::string> paths;
  for (const auto& l : m.layers) paths.push_back(l.Annotation(kAnnotationFilepath));
  EXPECT_EQ(paths, (std::vector<std::string>{"README.md", "ferry-package.json", "model.onnx",
                                             "requirements.txt", "sub/train.py"}));
  EXPECT_EQ(m.layers[0].media_type, kModelDocRaw);
  EXPECT_EQ(m.layers[1].media_type, kModelWeightConfigRaw);
  EXPECT_EQ(m.layers[2].media_type, kModelWeightRaw);
  EXPECT_EQ(m.layers[3].media_type, kModelCodeRaw);
  EXPECT_EQ(m.layers[4].media_type, kModelCodeRaw);
  EXPECT_EQ(m.layers[4].Annotation(kAnnotationTitle), "sub/train.py");
  EXPECT_EQ(m.layers[2].Annotation(kAnnotationFileMetadata),
            R"({"name":"model.onnx","mode":420,"uid":0,"gid":0,"size":3000,)"
            R"("mtime":"1970-01-01T00:00:00Z","typeflag":48})");
  EXPECT_EQ(m.artifact_type, kModelArtifact);
  EXPECT_EQ(m.config.media_type, kModelConfig);
  const PackageConfig& c = r->config;
  EXPECT_EQ(c.config.format, "onnx");
  EXPECT_EQ(c.descriptor.description, "demo");
  EXPECT_EQ(c.ferry.predictor->family, "linear");
  EXPECT_EQ(c.ferry.inputs.size(), 1u);
  EXPECT_EQ(c.ferry.source_run_id, "run1");
  ASSERT_EQ(c.ferry.dependencies.size(), 2u);
  EXPECT_EQ(c.ferry.dependencies[0].name, "ferry");
  EXPECT_EQ(c.ferry.dependencies[1].name, "numpy");
  EXPECT_EQ(r->warnings.size(), 1u);
  EXPECT_EQ(c.diff_ids.size(), 5u);
  auto layout = OciLayout::Open(o.out_dir);
  ASSERT_TRUE(layout.ok());
  auto ref = (*layout)->FindRef("1.0");
  ASSERT_TRUE(ref.ok());
  EXPECT_EQ(ref->digest, r->manifest.digest);

  auto again = Build(Options("out2"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->manifest.digest, r->manifest.digest);
}

TEST_F(BuilderTest, RejectsBadInputs) {
  BuildOptions o = Options("out");
  o.version = "-bad";
  EXPECT_EQ(Build(o).status().code(), absl::StatusCode::kInvalidArgument);

  ASSERT_TRUE(MakeDirs(root_ + "/empty/sub").ok());
  o = Options("out");
  o.model_dir = root_ + "/empty";
  auto r = Build(o);
  EXPECT_NE(std::string(r.status().message()).find("contains no files"), std::string::npos);

  std::ofstream(root_ + "/secret") << "s";
  ASSERT_EQ(::symlink((root_ + "/secret").c_str(), (model_ + "/link").c_str()), 0);
  r = Build(Options("out"));
  EXPECT_NE(std::string(r.status().message()).find("symlink 'link' points outside"),
            std::string::npos)
      << r.status();
  ::unlink((model_ + "/link").c_str());
  ASSERT_EQ(::symlink("model.onnx", (model_ + "/alias.onnx").c_str()), 0);
  EXPECT_TRUE(Build(Options("out")).ok());

  ASSERT_EQ(::mkfifo((model_ + "/fifo").c_str(), 0644), 0);
  r = Build(Options("out"));
  EXPECT_NE(std::string(r.status().message()).find("'fifo' is not a regular file"),
            std::string::npos)
      << r.status();
}

TEST_F(BuilderTest, BadMetadataNamesTheFile) {
  Write("ferry-package.json", R"({"ferry":{"predictor":{"kind":"x"}}})");
  auto r = Build(Options("out"));
  EXPECT_NE(std::string(r.status().message()).find("ferry.predictor.kind"), std::string::npos)
      << r.status();
  Write("ferry-package.json", "{");
  r = Build(Options("out"));
  EXPECT_NE(std::string(r.status().message()).find("ferry-package.json"), std::string::npos)
      << r.status();
}

TEST_F(BuilderTest, EmbedsTheReferenceProfileAsTheLastLayer) {
  BuildOptions o = Options("out");
  o.reference_profile = "FYPF profile bytes";
  auto r = Build(o);
  ASSERT_TRUE(r.ok()) << r.status();
  const Manifest& m = r->manifest_value;
  ASSERT_EQ(m.layers.size(), 6u);
  const Descriptor& last = m.layers.back();
  EXPECT_EQ(last.Annotation(kAnnotationFilepath), kReferenceProfilePath);
  EXPECT_EQ(last.media_type, kReferenceProfileMediaType);
  EXPECT_EQ(last.size, static_cast<int64_t>(o.reference_profile.size()));
  ASSERT_TRUE(r->config.ferry.reference_profile.has_value());
  EXPECT_EQ(*r->config.ferry.reference_profile, last.digest);

  auto layout = OciLayout::Open(o.out_dir);
  ASSERT_TRUE(layout.ok());
  auto read = VerifyContents(**layout, "1.0");
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->config.ferry.reference_profile, r->config.ferry.reference_profile);
  auto blob = ReadFile((*layout)->BlobPath(last.digest));
  ASSERT_TRUE(blob.ok());
  EXPECT_EQ(*blob, o.reference_profile);

  // Without --reference-data the slot stays null and the digest is unchanged by the option.
  auto plain = Build(Options("plain"));
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain->config.ferry.reference_profile.has_value());
  EXPECT_NE(plain->manifest.digest, r->manifest.digest);
}

// A config whose ferry.referenceProfile names a blob that is not one of the package's layers
// (here: the old config) is refused when the package is read.
TEST_F(BuilderTest, ReadingRefusesAReferenceProfileOutsideTheLayers) {
  BuildOptions o = Options("out");
  auto r = Build(o);
  ASSERT_TRUE(r.ok()) << r.status();
  auto layout = OciLayout::Open(o.out_dir);
  ASSERT_TRUE(layout.ok());
  PackageConfig c = r->config;
  c.ferry.reference_profile = r->manifest_value.config.digest;
  Manifest m = r->manifest_value;
  auto config = (*layout)->PutBlob(SerializeConfig(c), kModelConfig);
  ASSERT_TRUE(config.ok());
  m.config = *config;
  ASSERT_TRUE((*layout)->AddManifest(m, "bad").ok());
  auto read = ReadPackage(**layout, "bad");
  ASSERT_FALSE(read.ok());
  EXPECT_NE(std::string(read.status().message())
                .find("ferry.referenceProfile " + r->manifest_value.config.digest +
                      " is not one of the layers"),
            std::string::npos)
      << read.status();
}

TEST_F(BuilderTest, ReferenceProfileSlotIsOnlyFilledByTheBuilder) {
  ASSERT_TRUE(MakeDirs(model_ + "/.ferry").ok());
  Write(".ferry/reference-profile.bin", "x");
  BuildOptions o = Options("out");
  o.reference_profile = "p";
  auto r = Build(o);
  EXPECT_NE(std::string(r.status().message()).find("the path of the reference profile layer"),
            std::string::npos)
      << r.status();
  ASSERT_EQ(::unlink((model_ + "/.ferry/reference-profile.bin").c_str()), 0);
  Write("ferry-package.json",
        R"({"ferry":{"referenceProfile":"sha256:)" + std::string(64, 'a') + R"("}})");
  r = Build(Options("out"));
  EXPECT_NE(std::string(r.status().message()).find("ferry.referenceProfile: set by"),
            std::string::npos)
      << r.status();
}

}  // namespace
}  // namespace ferry::package
