#include "package/layout/oci.h"

#include <gtest/gtest.h>

namespace ferry::package {
namespace {

const std::string kHex(64, 'a');
const std::string kDigest = "sha256:" + kHex;

std::string Msg(const absl::Status& s) { return std::string(s.message()); }

TEST(OciTest, ValidateDigest) {
  EXPECT_TRUE(ValidateDigest(kDigest, "x").ok());
  static const char* bad[] = {
      "", "sha256:",
      "sha512:"
      "aaaa",
      "SHA256:aaaa", "sha256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"};
  for (const char* d : bad) {
    absl::Status s = ValidateDigest(d, "layers[1].digest");
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << d;
    EXPECT_NE(Msg(s).find("layers[1].digest: expected \"sha256:\" followed by 64 lowercase hex"),
              std::string::npos)
        << Msg(s);
  }
  EXPECT_FALSE(ValidateDigest(kDigest + "a", "x").ok());
  EXPECT_FALSE(ValidateDigest("sha256:" + std::string(63, 'a') + "g", "x").ok());
}

TEST(OciTest, DigestHexAndCosignTag) {
  EXPECT_EQ(DigestHex(kDigest), kHex);
  EXPECT_EQ(CosignTag(kDigest, ".sig"), "sha256-" + kHex + ".sig");
}

Manifest SampleManifest() {
  Manifest m;
  m.artifact_type = kModelArtifact;
  m.config = {kModelConfig, kDigest, 10, "", {}};
  Descriptor layer{kModelWeightRaw, "sha256:" + std::string(64, 'b'), 1234, "", {}};
  layer.annotations[kAnnotationFilepath] = "model.onnx";
  m.layers.push_back(layer);
  m.annotations[kAnnotationCreated] = "2025-01-01T00:00:00Z";
  return m;
}

TEST(OciTest, ManifestRoundTrip) {
  Manifest m = SampleManifest();
  Descriptor d = SerializeManifest(m);
  EXPECT_EQ(d.media_type, kOciManifest);
  EXPECT_EQ(d.size, static_cast<int64_t>(m.raw.size()));
  EXPECT_EQ(m.raw.rfind("{\"schemaVersion\":2,\"mediaType\":", 0), 0u) << m.raw;
  auto parsed = ParseManifest(m.raw);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->artifact_type, kModelArtifact);
  EXPECT_EQ(parsed->config.digest, kDigest);
  ASSERT_EQ(parsed->layers.size(), 1u);
  EXPECT_EQ(parsed->layers[0].size, 1234);
  EXPECT_EQ(parsed->layers[0].Annotation(kAnnotationFilepath), "model.onnx");
  EXPECT_EQ(parsed->layers[0].Annotation("nope"), "");
  EXPECT_EQ(parsed->raw, m.raw);
  Manifest again = *parsed;
  EXPECT_EQ(SerializeManifest(again).digest, d.digest);
}

TEST(OciTest, ManifestWithSubject) {
  Manifest m = SampleManifest();
  m.subject = Descriptor{kOciManifest, kDigest, 5, "", {}};
  SerializeManifest(m);
  auto parsed = ParseManifest(m.raw);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_TRUE(parsed->subject.has_value());
  EXPECT_EQ(parsed->subject->size, 5);
}

TEST(OciTest, ManifestErrorsNameTheField) {
  const std::string cfg =
      "\"config\":{\"mediaType\":\"a\",\"digest\":\"" + kDigest + "\",\"size\":1}";
  const std::string head =
      "{\"schemaVersion\":2,\"mediaType\":\"" + std::string(kOciManifest) + "\",";
  static const struct {
    std::string json;
    std::string want;
  } cases[] = {
      {"[]", "manifest: expected an object"},
      {"{", "manifest: Malformed JSON"},
      {"{\"schemaVersion\":1}", "schemaVersion: expected 2"},
      {"{\"schemaVersion\":2}", "mediaType: required field is missing"},
      {"{\"schemaVersion\":2,\"mediaType\":\"x\"}", "mediaType: expected"},
      {head + "\"layers\":[]}", "config: required field is missing"},
      {head + cfg + "}", "layers: required field is missing"},
      {head + cfg + ",\"layers\":{}}", "layers: expected an array"},
      {head + cfg + ",\"layers\":[{\"mediaType\":\"a\",\"digest\":\"" + kDigest +
           "\",\"size\":1},{\"mediaType\":\"a\",\"digest\":\"sha256:x\",\"size\":1}]}",
       "layers[1].digest: expected \"sha256:\""},
      {head + cfg + ",\"layers\":[{\"mediaType\":\"a\",\"digest\":\"" + kDigest +
           "\",\"size\":-1}]}",
       "layers[0].size: expected a non-negative integer"},
      {head + cfg + ",\"layers\":[{\"digest\":\"" + kDigest + "\",\"size\":1}]}",
       "layers[0].mediaType: required field is missing"},
      {head + cfg + ",\"layers\":[{\"mediaType\":\"a\",\"digest\":\"" + kDigest +
           "\",\"size\":1,\"annotations\":{\"k\":1}}]}",
       "layers[0].annotations.k: expected a string"},
      {head + cfg + ",\"layers\":[],\"annotations\":[]}", "annotations: expected an object"},
      {head + cfg + "," + cfg + ",\"layers\":[]}", "manifest: duplicate key \"config\""},
  };
  for (const auto& c : cases) {
    auto m = ParseManifest(c.json);
    ASSERT_FALSE(m.ok()) << c.json;
    EXPECT_EQ(m.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(Msg(m.status()).find(c.want), std::string::npos) << c.json << " -> " << m.status();
  }
}

TEST(OciTest, IndexRoundTrip) {
  ImageIndex index;
  Descriptor d{kOciManifest, kDigest, 42, kModelArtifact, {{kAnnotationRefName, "v1"}}};
  index.manifests.push_back(d);
  std::string text = SerializeIndex(index);
  auto parsed = ParseIndex(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->manifests.size(), 1u);
  EXPECT_EQ(parsed->manifests[0].artifact_type, kModelArtifact);
  EXPECT_EQ(parsed->manifests[0].Annotation(kAnnotationRefName), "v1");
  EXPECT_FALSE(ParseIndex("{\"schemaVersion\":2,\"mediaType\":\"" + std::string(kOciIndex) +
                          "\",\"manifests\":[{}]}")
                   .ok());
}

}  // namespace
}  // namespace ferry::package
