#include "package/trust/verify.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "common/fs.h"
#include "common/sha256.h"
#include "common/testing/test_dir.h"
#include "package/layout/layout_archive.h"
#include "package/trust/attached.h"
#include "package/trust/provenance.h"
#include "package/trust/signature.h"

namespace ferry::package {
namespace {

// A layout with one package "iris" tagged v1, two key pairs ("lnu" trusted for iris-like
// names, "acme" known but trusted only for "acme-*"), and a stranger key not in the policy.
class VerifyTrustTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = tmp_.path();
    auto layout = OciLayout::Create(root_ + "/layout");
    ASSERT_TRUE(layout.ok()) << layout.status();
    layout_ = std::move(*layout);
    Manifest m;
    m.artifact_type = kModelArtifact;
    m.layers.push_back(*layout_->PutBlob("weights", kModelWeightRaw));
    m.layers[0].annotations[kAnnotationFilepath] = "model.bin";
    PackageConfig c;
    c.descriptor.name = "iris";
    c.descriptor.version = "1.0.0";
    c.descriptor.created_at = "2025-01-01T00:00:00Z";
    c.config.format = "raw";
    c.diff_ids = {m.layers[0].digest};
    c.ferry.source_run_id = "r1";
    c.ferry.trainer =
        TrainerEntry{{"train.sh"}, {{"C", "1.0"}}, {{"train", m.layers[0].digest, ""}}};
    auto config = layout_->PutBlob(SerializeConfig(c), kModelConfig);
    ASSERT_TRUE(config.ok()) << config.status();
    m.config = *config;
    config_ = c;
    target_ = *layout_->AddManifest(m, "v1");
    lnu_ = std::make_unique<PrivateKey>(*PrivateKey::Generate());
    acme_ = std::make_unique<PrivateKey>(*PrivateKey::Generate());
    stranger_ = std::make_unique<PrivateKey>(*PrivateKey::Generate());
    ASSERT_TRUE(lnu_->WritePair(root_ + "/lnu").ok());
    ASSERT_TRUE(acme_->WritePair(root_ + "/acme").ok());
    Policy(false);
  }

  void Policy(bool require_provenance) {
    std::string text = R"({"keys":{"lnu":{"path":"lnu.pub"},"acme":{"path":"acme.pub"}},
        "rules":[{"models":"acme-*","keys":"acme"},
                 {"models":"*","keys":"lnu","require_provenance":)" +
                       std::string(require_provenance ? "true" : "false") + "}]}";
    auto p = TrustPolicy::Parse(text, root_, "policy.json");
    ASSERT_TRUE(p.ok()) << p.status();
    policy_ = std::make_unique<TrustPolicy>(*p);
  }
  std::string Statement(std::string_view name, std::string_view digest) {
    ProvenanceSource src;
    src.name = "iris";
    src.version = "1";
    src.run_id = "r1";
    return BuildStatement(src, name, digest);
  }
  absl::Status Verify(VerifyReport* report = nullptr) {
    VerifyReport local;
    return VerifyTrust(*layout_, target_, "iris", *policy_, report ? report : &local);
  }
  void FlipByteOfBlob(const std::string& digest, size_t at) {
    std::string path = layout_->BlobPath(digest);
    std::string bytes = *ReadFile(path);
    bytes[at] ^= 1;
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  }
  std::string Message(const absl::Status& s) { return std::string(s.message()); }

  ferry::testing::TestDir tmp_{"ferry-verify-test"};
  std::string root_;
  std::unique_ptr<OciLayout> layout_;
  Descriptor target_;
  std::unique_ptr<PrivateKey> lnu_, acme_, stranger_;
  std::unique_ptr<TrustPolicy> policy_;
  PackageConfig config_;
};

TEST_F(VerifyTrustTest, SignedAndAttestedPackageVerifies) {
  ASSERT_TRUE(SignManifest(*layout_, target_, "iris", *lnu_).ok());
  ASSERT_TRUE(AttestManifest(*layout_, target_, Statement("iris", target_.digest), *lnu_).ok());
  Policy(true);
  VerifyReport report;
  absl::Status s = Verify(&report);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(report.signer, "lnu");
  EXPECT_TRUE(report.provenance_verified);
  ASSERT_EQ(report.checks.size(), 2u);
  EXPECT_NE(report.checks[0].find("signature: by key 'lnu'"), std::string::npos);
  EXPECT_NE(report.checks[1].find("run r1"), std::string::npos);
}

TEST_F(VerifyTrustTest, MissingSignature) {
  absl::Status s = Verify();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(Message(s).find("no signature"), std::string::npos) << s;
  EXPECT_NE(Message(s).find("requires a signature for model 'iris'"), std::string::npos) << s;
}

TEST_F(VerifyTrustTest, UntrustedKnownKey) {
  ASSERT_TRUE(SignManifest(*layout_, target_, "iris", *acme_).ok());
  absl::Status s = Verify();
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied) << s;
  EXPECT_NE(Message(s).find("signature is by key 'acme'"), std::string::npos) << s;
  EXPECT_NE(Message(s).find("does not allow for model 'iris' (allowed: lnu)"), std::string::npos);
}

TEST_F(VerifyTrustTest, UnknownKey) {
  ASSERT_TRUE(SignManifest(*layout_, target_, "iris", *stranger_).ok());
  absl::Status s = Verify();
  EXPECT_EQ(s.code(), absl::StatusCode::kUnauthenticated) << s;
  EXPECT_NE(Message(s).find("not by any key in trust policy policy.json (unknown key)"),
            std::string::npos)
      << s;
}

TEST_F(VerifyTrustTest, FlippedSignaturePayloadByte) {
  ASSERT_TRUE(SignManifest(*layout_, target_, "iris", *lnu_).ok());
  auto sig = *layout_->ReadManifest(layout_->FindRef(CosignTag(target_.digest, ".sig"))->digest);
  FlipByteOfBlob(sig.layers[0].digest, 5);
  absl::Status s = Verify();
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss) << s;
  EXPECT_NE(Message(s).find(sig.layers[0].digest), std::string::npos) << s;
}

TEST_F(VerifyTrustTest, FlippedSignatureManifestByte) {
  auto sig = SignManifest(*layout_, target_, "iris", *lnu_);
  ASSERT_TRUE(sig.ok());
  FlipByteOfBlob(sig->digest, 20);
  absl::Status s = Verify();
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss) << s;
}

TEST_F(VerifyTrustTest, FlippedEnvelopeByte) {
  ASSERT_TRUE(SignManifest(*layout_, target_, "iris", *lnu_).ok());
  auto att = AttestManifest(*layout_, target_, Statement("iris", target_.digest), *lnu_);
  ASSERT_TRUE(att.ok());
  auto m = *layout_->ReadManifest(att->digest);
  FlipByteOfBlob(m.layers[0].digest, 40);
  absl::Status s = Verify();
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss) << s;
}

TEST_F(VerifyTrustTest, SignatureCopiedFromAnotherPackage) {
  // A valid signature of another manifest, placed under this package's .sig tag.
  Descriptor other = target_;
  other.digest = "sha256:" + std::string(64, 'e');
  ASSERT_TRUE(SignManifest(*layout_, other, "iris", *lnu_).ok());
  auto sig_of_other =
      *layout_->ReadManifest(layout_->FindRef(CosignTag(other.digest, ".sig"))->digest);
  Manifest copy = sig_of_other;
  ASSERT_TRUE(layout_->AddManifest(copy, CosignTag(target_.digest, ".sig")).ok());
  absl::Status s = Verify();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_NE(Message(s).find("signature is for manifest " + other.digest), std::string::npos) << s;
}

TEST_F(VerifyTrustTest, ProvenanceForAnotherDigest) {
  ASSERT_TRUE(SignManifest(*layout_, target_, "iris", *lnu_).ok());
  std::string other = "sha256:" + std::string(64, 'f');
  ASSERT_TRUE(AttestManifest(*layout_, target_, Statement("iris", other), *lnu_).ok());
  absl::Status s = Verify();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_NE(Message(s).find("provenance subject sha256:ffff"), std::string::npos) << s;
  EXPECT_NE(Message(s).find("does not match the package manifest " + target_.digest),
            std::string::npos);
}

TEST_F(VerifyTrustTest, ProvenanceForAnotherModelName) {
  ASSERT_TRUE(SignManifest(*layout_, target_, "iris", *lnu_).ok());
  ASSERT_TRUE(AttestManifest(*layout_, target_, Statement("churn", target_.digest), *lnu_).ok());
  absl::Status s = Verify();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_NE(Message(s).find("subject name 'churn' is not the model name 'iris'"), std::string::npos)
      << s;
}

TEST_F(VerifyTrustTest, ProvenanceByUnknownKey) {
  ASSERT_TRUE(SignManifest(*layout_, target_, "iris", *lnu_).ok());
  ASSERT_TRUE(
      AttestManifest(*layout_, target_, Statement("iris", target_.digest), *stranger_).ok());
  absl::Status s = Verify();
  EXPECT_EQ(s.code(), absl::StatusCode::kUnauthenticated) << s;
  EXPECT_NE(Message(s).find("provenance attestation is not by any key"), std::string::npos) << s;
}

TEST_F(VerifyTrustTest, RequiredProvenanceMissing) {
  Policy(true);
  ASSERT_TRUE(SignManifest(*layout_, target_, "iris", *lnu_).ok());
  absl::Status s = Verify();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_NE(Message(s).find("no provenance"), std::string::npos) << s;
  Policy(false);
  VerifyReport report;
  ASSERT_TRUE(Verify(&report).ok());
  EXPECT_FALSE(report.provenance_verified);
}

TEST_F(VerifyTrustTest, VerifyPackageChecksContentsThenTrust) {
  ASSERT_TRUE(SignManifest(*layout_, target_, "iris", *lnu_).ok());
  std::string st = BuildStatement(ProvenanceFromConfig(config_), "iris", target_.digest);
  EXPECT_NE(st.find(R"("hyperparameters":{"C":"1.0"})"), std::string::npos) << st;
  EXPECT_NE(st.find(R"("invocationId":"r1")"), std::string::npos) << st;
  ASSERT_TRUE(AttestManifest(*layout_, target_, st, *lnu_).ok());
  Policy(true);
  auto report = VerifyPackage(*layout_, "", policy_.get());
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->model_name, "iris");
  EXPECT_EQ(report->model_version, "1.0.0");
  EXPECT_EQ(report->manifest_digest, target_.digest);
  ASSERT_EQ(report->checks.size(), 4u);
  EXPECT_NE(report->checks[0].find("1 layers (7 bytes) match"), std::string::npos);
  EXPECT_NE(report->checks[1].find("attached: 2 further manifest(s)"), std::string::npos)
      << report->checks[1];
  EXPECT_TRUE(report->signer_checked);

  auto unchecked = VerifyPackage(*layout_, "v1", nullptr);
  ASSERT_TRUE(unchecked.ok());
  EXPECT_FALSE(unchecked->signer_checked);
  EXPECT_TRUE(unchecked->signer.empty());
  EXPECT_EQ(unchecked->checks.size(), 2u);
}

// The OCI empty config `{}` that .sig and .att manifests share: replacing it with other bytes
// of the same size must fail verification (with or without a policy) and export, naming it.
TEST_F(VerifyTrustTest, CorruptEmptyConfigOfSignatureFailsVerifyAndExport) {
  auto sig = SignManifest(*layout_, target_, "iris", *lnu_);
  ASSERT_TRUE(sig.ok()) << sig.status();
  ASSERT_TRUE(AttestManifest(*layout_, target_, Statement("iris", target_.digest), *lnu_).ok());
  const std::string empty = layout_->ReadManifest(sig->digest)->config.digest;
  ASSERT_EQ(empty, "sha256:" + Sha256Hex("{}"));
  ASSERT_TRUE(VerifyPackage(*layout_, "v1", nullptr).ok());
  std::ofstream(layout_->BlobPath(empty), std::ios::binary | std::ios::trunc) << "[]";
  for (const TrustPolicy* p : std::vector<const TrustPolicy*>{nullptr, policy_.get()}) {
    auto report = VerifyPackage(*layout_, "v1", p);
    EXPECT_EQ(report.status().code(), absl::StatusCode::kDataLoss) << report.status();
    EXPECT_NE(Message(report.status()).find(empty), std::string::npos) << report.status();
    EXPECT_NE(Message(report.status()).find(".sig"), std::string::npos) << report.status();
  }
  const std::string tar = root_ + "/out.tar";
  absl::Status exported = Export(layout_->dir(), tar);
  EXPECT_EQ(exported.code(), absl::StatusCode::kDataLoss) << exported;
  EXPECT_NE(Message(exported).find(empty), std::string::npos) << exported;
  EXPECT_FALSE(PathExists(tar));
}

TEST_F(VerifyTrustTest, CorruptAttestationLayerFailsWithoutPolicy) {
  ASSERT_TRUE(SignManifest(*layout_, target_, "iris", *lnu_).ok());
  auto att = AttestManifest(*layout_, target_, Statement("iris", target_.digest), *lnu_);
  ASSERT_TRUE(att.ok());
  const std::string envelope = layout_->ReadManifest(att->digest)->layers[0].digest;
  FlipByteOfBlob(envelope, 10);
  auto report = VerifyPackage(*layout_, "v1", nullptr);
  EXPECT_EQ(report.status().code(), absl::StatusCode::kDataLoss) << report.status();
  EXPECT_NE(Message(report.status()).find(envelope), std::string::npos) << report.status();
}

TEST_F(VerifyTrustTest, VerifyPackageFlippedLayerByte) {
  ASSERT_TRUE(SignManifest(*layout_, target_, "iris", *lnu_).ok());
  auto m = *layout_->ReadManifest(target_.digest);
  FlipByteOfBlob(m.layers[0].digest, 3);
  auto report = VerifyPackage(*layout_, "v1", policy_.get());
  EXPECT_EQ(report.status().code(), absl::StatusCode::kDataLoss) << report.status();
  EXPECT_NE(Message(report.status()).find(m.layers[0].digest), std::string::npos);
}

TEST_F(VerifyTrustTest, VerifyPackageFlippedManifestByte) {
  FlipByteOfBlob(target_.digest, 30);
  auto report = VerifyPackage(*layout_, "v1", policy_.get());
  EXPECT_EQ(report.status().code(), absl::StatusCode::kDataLoss) << report.status();
}

TEST_F(VerifyTrustTest, VerifyPackageUnknownRef) {
  auto report = VerifyPackage(*layout_, "v2", policy_.get());
  EXPECT_EQ(report.status().code(), absl::StatusCode::kNotFound) << report.status();
}

}  // namespace
}  // namespace ferry::package
