// PackageIntake and ArtifactLayoutReader over in-memory fakes of the artifact index and
// blob store: a good package is stored blobs-first/index-last and re-verifies from the
// store by lookups; refused packages store nothing and leave no staging directory.

#include "package/intake/package_intake.h"

#include <dirent.h>

#include <map>

#include "common/fs.h"
#include "common/sha256.h"
#include "gtest/gtest.h"
#include "package/build/builder.h"
#include "package/intake/artifact_layout_reader.h"
#include "package/layout/layout_archive.h"
#include "package/trust/keys.h"
#include "package/trust/signature.h"
#include "package/trust/verify.h"

namespace ferry::package {
namespace {

class MemoryReader : public store::BlobReader {
 public:
  explicit MemoryReader(std::string data) : data_(std::move(data)) {}
  int64_t size() const override { return static_cast<int64_t>(data_.size()); }
  int fd() const override { return -1; }
  absl::StatusOr<size_t> Read(char* buf, size_t n) override {
    size_t take = std::min(n, data_.size() - pos_);
    data_.copy(buf, take, pos_);
    pos_ += take;
    return take;
  }

 private:
  std::string data_;
  size_t pos_ = 0;
};

// The artifact store as the server keeps it: path -> (sha256, size), digest -> bytes.
class FakeArtifacts : public store::ArtifactIndex, public store::ArtifactStore {
 public:
  absl::Status Store(const std::string& path, const std::string& local) {
    ASSIGN_OR_RETURN(std::string bytes, ReadFile(local));
    std::string hex = Sha256Hex(bytes);
    blobs_[hex] = bytes;
    entries_[path] = store::ArtifactEntry{path, hex, static_cast<int64_t>(bytes.size()), 0};
    order.push_back(path);
    return absl::OkStatus();
  }
  // ArtifactIndex
  absl::StatusOr<std::vector<std::string>> PutArtifact(const store::ArtifactEntry& e) override {
    entries_[e.path] = e;
    return std::vector<std::string>{};
  }
  absl::StatusOr<store::ArtifactEntry> GetArtifact(const std::string& path) override {
    auto it = entries_.find(path);
    if (it == entries_.end()) return absl::NotFoundError(path);
    return it->second;
  }
  absl::StatusOr<std::vector<store::ArtifactEntry>> ListArtifactsUnder(
      const std::string&) override {
    return absl::UnimplementedError("unused");
  }
  absl::StatusOr<std::vector<std::string>> DeleteArtifacts(const std::string&, int64_t*) override {
    return absl::UnimplementedError("unused");
  }
  // ArtifactStore
  absl::StatusOr<std::unique_ptr<store::BlobWriter>> NewWriter() override {
    return absl::UnimplementedError("unused");
  }
  absl::StatusOr<std::unique_ptr<store::BlobReader>> Open(const std::string& digest) override {
    auto it = blobs_.find(digest);
    if (it == blobs_.end()) return absl::NotFoundError(digest);
    return std::make_unique<MemoryReader>(it->second);
  }
  bool Exists(const std::string& digest) override { return blobs_.count(digest) > 0; }
  absl::Status Delete(const std::string&) override { return absl::OkStatus(); }

  std::vector<std::string> order;
  std::map<std::string, store::ArtifactEntry> entries_;
  std::map<std::string, std::string> blobs_;
};

class PackageIntakeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = ::testing::TempDir() + "/intake_test_" + std::to_string(::getpid());
    ASSERT_TRUE(MakeDirs(root_ + "/model").ok());
    ASSERT_TRUE(WriteFileAtomic(root_ + "/model/weights.bin", std::string(5000, 'w')).ok());
    ASSERT_TRUE(WriteFileAtomic(root_ + "/model/README.md", "# model\n").ok());
    BuildOptions options;
    options.model_dir = root_ + "/model";
    options.out_dir = root_ + "/layout";
    options.name = "iris";
    options.version = "1";
    auto built = Build(options);
    ASSERT_TRUE(built.ok()) << built.status();
    digest_ = built->manifest.digest;
  }

  std::string Export() {
    std::string tar = root_ + "/pkg-" + std::to_string(tars_++) + ".tar";
    EXPECT_TRUE(package::Export(root_ + "/layout", tar).ok());
    return tar;
  }
  PackageIntake Intake(std::optional<TrustPolicy> policy) {
    return PackageIntake(root_ + "/work", std::move(policy),
                         [this](const std::string& rel, const std::string& local) {
                           return store_.Store(rel, local);
                         });
  }
  // No staging directory survives an Accept.
  void ExpectWorkDirClean() {
    DIR* d = ::opendir((root_ + "/work").c_str());
    if (d == nullptr) return;
    while (dirent* e = ::readdir(d)) {
      std::string name = e->d_name;
      EXPECT_TRUE(name == "." || name == "..") << "left behind: " << name;
    }
    ::closedir(d);
  }

  std::string root_;
  std::string digest_;
  int tars_ = 0;
  FakeArtifacts store_;
};

TEST_F(PackageIntakeTest, StoresAVerifiedPackageBlobsFirstIndexLast) {
  auto accepted = Intake(std::nullopt).Accept(Export());
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  EXPECT_EQ(accepted->manifest_digest, digest_);
  EXPECT_EQ(accepted->name, "iris");
  EXPECT_EQ(accepted->version, "1");
  std::string dir = PackageArtifactDir(digest_);
  EXPECT_EQ(accepted->source_uri, "mlflow-artifacts:/" + dir);
  ASSERT_GE(store_.order.size(), 5u);  // manifest, config, 2 layers, oci-layout, index.json
  EXPECT_EQ(store_.order.back(), dir + "/index.json");
  EXPECT_EQ(store_.order[store_.order.size() - 2], dir + "/oci-layout");
  ExpectWorkDirClean();

  // The stored copy verifies again, from the store's recorded digests.
  ArtifactLayoutReader reader(store_, store_, dir);
  auto report = VerifyPackage(reader, "", nullptr);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->manifest_digest, digest_);
}

TEST_F(PackageIntakeTest, StoredLayoutReaderCatchesMismatchesByLookup) {
  ASSERT_TRUE(Intake(std::nullopt).Accept(Export()).ok());
  std::string dir = PackageArtifactDir(digest_);
  ArtifactLayoutReader reader(store_, store_, dir);
  auto manifest = reader.ReadBlob(digest_, 1 << 20);
  ASSERT_TRUE(manifest.ok()) << manifest.status();
  auto parsed = ParseManifest(*manifest);
  ASSERT_TRUE(parsed.ok());
  Descriptor layer = parsed->layers[0];
  EXPECT_TRUE(reader.CheckBlob(layer).ok());

  Descriptor wrong_size = layer;
  wrong_size.size += 1;
  EXPECT_EQ(reader.CheckBlob(wrong_size).code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(reader.ReadBlob(digest_, 10).status().code(), absl::StatusCode::kInvalidArgument);

  // A file whose recorded content hash differs from its name (swapped on disk, say).
  std::string path = dir + "/blobs/sha256/" + DigestHex(layer.digest);
  store_.entries_[path].digest = std::string(64, 'a');
  absl::Status s = reader.CheckBlob(layer);
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss) << s;
  EXPECT_NE(s.ToString().find("does not match its content"), std::string::npos) << s;
  EXPECT_FALSE(VerifyPackage(reader, "", nullptr).ok());

  ArtifactLayoutReader missing(store_, store_, "packages/sha256-none");
  EXPECT_EQ(missing.ReadIndex().status().code(), absl::StatusCode::kNotFound);
}

TEST_F(PackageIntakeTest, RefusedPackagesStoreNothing) {
  auto key = PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  // The policy wants a signature; the package has none.
  auto refused = Intake(TrustPolicy::ForKey(key->Public(), "lab")).Accept(Export());
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().ToString().find("signature"), std::string::npos) << refused.status();
  EXPECT_TRUE(store_.order.empty());
  ExpectWorkDirClean();

  // Not a tar at all.
  std::string junk = root_ + "/junk.tar";
  ASSERT_TRUE(WriteFileAtomic(junk, "definitely not a tar archive").ok());
  auto bad = Intake(std::nullopt).Accept(junk);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument) << bad.status();
  EXPECT_TRUE(store_.order.empty());
  ExpectWorkDirClean();
}

TEST_F(PackageIntakeTest, OnlyThePackageAndItsOwnAttachmentsAreStored) {
  auto layout = OciLayout::Open(root_ + "/layout");
  ASSERT_TRUE(layout.ok());
  // A stowaway: a manifest tagged like a signature of some other digest, with its own blob.
  Manifest extra;
  auto config = (*layout)->PutBlob("{}", kOciEmpty);
  auto payload = (*layout)->PutBlob(std::string(3000, 'x'), kCosignSimpleSigning);
  ASSERT_TRUE(config.ok() && payload.ok());
  extra.config = *config;
  extra.layers.push_back(*payload);
  ASSERT_TRUE(
      (*layout)->AddManifest(extra, CosignTag("sha256:" + std::string(64, '0'), ".sig")).ok());

  auto accepted = Intake(std::nullopt).Accept(Export());
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  std::string dir = PackageArtifactDir(digest_);
  EXPECT_EQ(store_.entries_.count(dir + "/blobs/sha256/" + DigestHex(payload->digest)), 0u);
  ArtifactLayoutReader reader(store_, store_, dir);
  auto index = reader.ReadIndex();
  ASSERT_TRUE(index.ok());
  ASSERT_EQ(index->manifests.size(), 1u);
  EXPECT_EQ(index->manifests[0].digest, digest_);
}

TEST_F(PackageIntakeTest, SignedPackagePassesThePolicy) {
  auto key = PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  auto layout = OciLayout::Open(root_ + "/layout");
  ASSERT_TRUE(layout.ok());
  auto target = (*layout)->FindRef("1");
  ASSERT_TRUE(target.ok());
  ASSERT_TRUE(SignManifest(**layout, *target, "iris", *key).ok());
  auto accepted = Intake(TrustPolicy::ForKey(key->Public(), "lab")).Accept(Export());
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  EXPECT_EQ(accepted->signer, "lab");
}

}  // namespace
}  // namespace ferry::package
