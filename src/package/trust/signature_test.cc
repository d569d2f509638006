#include "package/trust/signature.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "common/fs.h"
#include "common/sha256.h"
#include "common/strings.h"
#include "common/testing/test_dir.h"
#include "package/trust/attached.h"
#include "package/trust/dsse.h"
#include "package/trust/provenance.h"

namespace ferry::package {
namespace {

class SignatureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = tmp_.path();
    auto layout = OciLayout::Create(root_ + "/layout");
    ASSERT_TRUE(layout.ok()) << layout.status();
    layout_ = std::move(*layout);
    Manifest m;
    m.artifact_type = kModelArtifact;
    auto config = layout_->PutBlob(R"({"descriptor":{"name":"iris"}})", kModelConfig);
    auto weights = layout_->PutBlob("weights", kModelWeightRaw);
    ASSERT_TRUE(config.ok() && weights.ok());
    m.config = *config;
    m.layers.push_back(*weights);
    auto d = layout_->AddManifest(m, "v1");
    ASSERT_TRUE(d.ok()) << d.status();
    target_ = *d;
    auto key = PrivateKey::Generate();
    ASSERT_TRUE(key.ok());
    key_ = std::make_unique<PrivateKey>(*key);
  }

  // Overwrites a blob in place (bypassing the layout), as an attacker on disk would.
  void Overwrite(const std::string& digest, const std::string& bytes) {
    std::ofstream(layout_->BlobPath(digest), std::ios::binary | std::ios::trunc) << bytes;
  }

  ferry::testing::TestDir tmp_{"ferry-sig-test"};
  std::string root_;
  std::unique_ptr<OciLayout> layout_;
  Descriptor target_;
  std::unique_ptr<PrivateKey> key_;
};

TEST(SimpleSigningTest, PayloadMatchesCosignBytes) {
  std::string digest = "sha256:" + std::string(64, 'a');
  EXPECT_EQ(SimpleSigningPayload("reg:5000/models/iris", digest),
            R"({"critical":{"identity":{"docker-reference":"reg:5000/models/iris"},)"
            R"("image":{"docker-manifest-digest":")" +
                digest + R"("},"type":"cosign container image signature"},"optional":null})");
  auto parsed = ParseSimpleSigning(SimpleSigningPayload("r", digest));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->docker_reference, "r");
  EXPECT_EQ(parsed->manifest_digest, digest);
  auto bad = ParseSimpleSigning(R"({"critical":{"type":"cosign container image signature"}})");
  EXPECT_NE(std::string(bad.status().message()).find("critical.identity: missing"),
            std::string::npos)
      << bad.status();
}

TEST_F(SignatureTest, SignThenVerify) {
  auto sig = SignManifest(*layout_, target_, "iris", *key_);
  ASSERT_TRUE(sig.ok()) << sig.status();
  auto tagged = layout_->FindRef(CosignTag(target_.digest, ".sig"));
  ASSERT_TRUE(tagged.ok());
  EXPECT_EQ(tagged->digest, sig->digest);
  auto layers = ReadSignatures(*layout_, target_.digest);
  ASSERT_TRUE(layers.ok()) << layers.status();
  ASSERT_EQ(layers->size(), 1u);
  EXPECT_TRUE(VerifySignatureLayer((*layers)[0], target_.digest, key_->Public()).ok());
  auto other = PrivateKey::Generate();
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(VerifySignatureLayer((*layers)[0], target_.digest, other->Public()).code(),
            absl::StatusCode::kUnauthenticated);
  std::string elsewhere = "sha256:" + std::string(64, 'b');
  EXPECT_EQ(VerifySignatureLayer((*layers)[0], elsewhere, key_->Public()).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(SignatureTest, MissingSignatureIsNotFound) {
  auto layers = ReadSignatures(*layout_, target_.digest);
  EXPECT_EQ(layers.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(std::string(layers.status().message()).find("no signature"), std::string::npos);
}

TEST_F(SignatureTest, FlippedPayloadByteIsDataLoss) {
  ASSERT_TRUE(SignManifest(*layout_, target_, "iris", *key_).ok());
  auto sig = layout_->FindRef(CosignTag(target_.digest, ".sig"));
  auto m = layout_->ReadManifest(sig->digest);
  ASSERT_TRUE(m.ok());
  std::string payload = *layout_->ReadBlob(m->layers[0].digest, 1 << 20);
  payload[10] ^= 1;
  Overwrite(m->layers[0].digest, payload);
  auto layers = ReadSignatures(*layout_, target_.digest);
  EXPECT_EQ(layers.status().code(), absl::StatusCode::kDataLoss) << layers.status();
}

TEST(DsseTest, PaeAndRoundTrip) {
  EXPECT_EQ(Pae("application/vnd.in-toto+json", "hello"),
            "DSSEv1 28 application/vnd.in-toto+json 5 hello");
  auto key = PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  auto env = SignEnvelope(kInTotoPayloadType, "{\"a\":1}", *key);
  ASSERT_TRUE(env.ok());
  auto parsed = ParseEnvelope(*env);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->payload, "{\"a\":1}");
  EXPECT_EQ(parsed->signatures[0].keyid, key->Public().KeyId());
  EXPECT_TRUE(VerifyEnvelope(*parsed, key->Public()).ok());
  parsed->payload[1] = 'b';
  EXPECT_EQ(VerifyEnvelope(*parsed, key->Public()).code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(
      std::string(
          ParseEnvelope(R"({"payloadType":"x","payload":"!!","signatures":[]})").status().message())
          .find("payload: not base64"),
      std::string::npos);
}

TEST_F(SignatureTest, ProvenanceStatementAndAttestation) {
  ProvenanceSource src;
  src.name = "iris";
  src.version = "1.0.0";
  src.run_id = "run-42";
  src.code_commit = "8c2f3d3c";
  src.hyperparameters = {{"C", "1.0"}};
  src.datasets.push_back({"data/iris.csv", "sha256:" + std::string(64, 'c')});
  std::string st = BuildStatement(src, "iris", target_.digest);
  auto parsed = ParseStatement(st);
  ASSERT_TRUE(parsed.ok()) << parsed.status() << st;
  EXPECT_EQ(parsed->predicate_type, kSlsaProvenanceV1);
  ASSERT_EQ(parsed->subjects.size(), 1u);
  EXPECT_EQ(parsed->subjects[0].name, "iris");
  EXPECT_EQ("sha256:" + parsed->subjects[0].sha256, target_.digest);
  EXPECT_EQ(parsed->invocation_id, "run-42");
  EXPECT_NE(st.find(R"("gitCommit":"8c2f3d3c")"), std::string::npos);
  EXPECT_NE(st.find(R"({"uri":"data/iris.csv","digest":{"sha256":"cccc)"), std::string::npos);

  auto att = AttestManifest(*layout_, target_, st, *key_);
  ASSERT_TRUE(att.ok()) << att.status();
  auto m = layout_->ReadManifest(att->digest);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->layers[0].media_type, kDsseEnvelope);
  EXPECT_EQ(m->layers[0].Annotation(kAnnotationPredicateType), kSlsaProvenanceV1);
  EXPECT_EQ(m->config.digest, kEmptyJsonDigest);
}

}  // namespace
}  // namespace ferry::package
