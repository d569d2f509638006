#include "package/layout/layout_archive.h"

#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "common/file_hash.h"
#include "common/fs.h"
#include "common/sha256.h"
#include "common/testing/test_dir.h"
#include "package/build/builder.h"
#include "package/build/contents.h"
#include "package/layout/tar.h"

namespace ferry::package {
namespace {

class LayoutArchiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = tmp_.path();
    ASSERT_TRUE(MakeDirs(root_ + "/model").ok());
    std::ofstream(root_ + "/model/w.bin", std::ios::binary) << std::string(2000, 'w');
    std::ofstream(root_ + "/model/README.md") << "hi\n";
    BuildOptions o;
    o.model_dir = root_ + "/model";
    o.out_dir = root_ + "/layout";
    o.name = "m";
    o.version = "v1";
    o.created_at = "2025-01-01T00:00:00Z";
    auto r = Build(o);
    ASSERT_TRUE(r.ok()) << r.status();
    digest_ = r->manifest.digest;
    ASSERT_TRUE(Export(root_ + "/layout", root_ + "/pkg.tar").ok());
    tar_ = *ReadFile(root_ + "/pkg.tar");
  }

  // Imports `bytes` into root_/dest; returns the error message ("OK" on success).
  std::string ImportBytes(const std::string& bytes) {
    MemorySource src(bytes);
    absl::Status s = ImportFrom(src, root_ + "/dest");
    return s.ok() ? "OK" : std::string(s.message());
  }
  // Only the fixture's own entries remain in root_.
  void ExpectNothingLeft() {
    EXPECT_FALSE(PathExists(root_ + "/dest"));
    DIR* d = ::opendir(root_.c_str());
    int n = 0;
    while (dirent* e = ::readdir(d)) n += std::string(e->d_name)[0] != '.';
    ::closedir(d);
    EXPECT_EQ(n, 3);  // model, layout, pkg.tar
  }
  template <typename Fill>
  std::string Tar(Fill fill) {
    std::string path = root_ + "/hostile.tar";
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    TarWriter w(fd, path);
    fill(w);
    ::close(fd);
    std::string bytes = *ReadFile(path);
    ::unlink(path.c_str());
    return bytes;
  }
  std::string LayoutFile(const std::string& name) { return *ReadFile(root_ + "/layout/" + name); }

  ferry::testing::TestDir tmp_{"ferry-archive-test"};
  std::string root_;
  std::string digest_;
  std::string tar_;
};

TEST_F(LayoutArchiveTest, ExportImportRoundTrip) {
  ASSERT_TRUE(Export(root_ + "/layout", root_ + "/again.tar").ok());
  EXPECT_EQ(*ReadFile(root_ + "/again.tar"), tar_);  // reproducible
  ::unlink((root_ + "/again.tar").c_str());
  ASSERT_TRUE(Import(root_ + "/pkg.tar", root_ + "/dest").ok());
  auto layout = OciLayout::Open(root_ + "/dest");
  ASSERT_TRUE(layout.ok());
  auto v = VerifyContents(**layout, "v1");
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->manifest_descriptor.digest, digest_);
  EXPECT_EQ(Import(root_ + "/pkg.tar", root_ + "/dest").code(), absl::StatusCode::kAlreadyExists);
}

// A signature manifest under cosign's tag is exported and must be complete on import.
TEST_F(LayoutArchiveTest, SignatureTagsTravelAndAreChecked) {
  auto layout = OciLayout::Open(root_ + "/layout");
  ASSERT_TRUE(layout.ok());
  auto empty = (*layout)->PutBlob("{}", kOciEmpty);
  auto payload = (*layout)->PutBlob("{\"critical\":{}}", kCosignSimpleSigning);
  ASSERT_TRUE(empty.ok() && payload.ok());
  Manifest sig;
  sig.config = *empty;
  sig.layers.push_back(*payload);
  ASSERT_TRUE((*layout)->AddManifest(sig, CosignTag(digest_, ".sig")).ok());
  ASSERT_TRUE(Export(root_ + "/layout", root_ + "/signed.tar").ok());
  // The package is still the only one: .sig tags do not count.
  EXPECT_TRUE(VerifyContents(**layout, "").ok());
  std::string signed_tar = *ReadFile(root_ + "/signed.tar");
  ::unlink((root_ + "/signed.tar").c_str());
  EXPECT_EQ(ImportBytes(signed_tar), "OK");
  auto imported = OciLayout::Open(root_ + "/dest");
  ASSERT_TRUE(imported.ok());
  EXPECT_TRUE((*imported)->FindRef(CosignTag(digest_, ".sig")).ok());
  (void)RemoveTree(root_ + "/dest");

  // Without the signature payload blob the archive is refused.
  std::string without = Tar([&](TarWriter& w) {
    MemorySource src(signed_tar);
    TarReader r(src);
    while (true) {
      auto e = r.Next();
      ASSERT_TRUE(e.ok());
      if (!e->has_value()) break;
      std::string data(static_cast<size_t>((*e)->size), '\0');
      if ((*e)->type == TarEntry::Type::kFile) {
        ASSERT_TRUE(r.ReadData(data.data(), data.size()).ok());
      }
      if ((*e)->name == "blobs/sha256/" + DigestHex(payload->digest)) continue;
      if ((*e)->type == TarEntry::Type::kDirectory) {
        ASSERT_TRUE(w.AddDirectory((*e)->name).ok());
      } else {
        ASSERT_TRUE(w.AddBytes((*e)->name, data).ok());
      }
    }
    ASSERT_TRUE(w.Finish().ok());
  });
  std::string err = ImportBytes(without);
  EXPECT_NE(err.find(".sig) layers[0]"), std::string::npos) << err;
  EXPECT_NE(err.find("blob " + payload->digest + " is missing"), std::string::npos) << err;
  ExpectNothingLeft();
}

TEST_F(LayoutArchiveTest, HostileArchivesLeaveNothing) {
  const std::string index = LayoutFile("index.json");
  const std::string oci = LayoutFile("oci-layout");
  const std::string extra_hex = Sha256Hex("extra");
  static const struct Case {
    const char* label;
    void (*fill)(TarWriter&, const std::string&, const std::string&, const std::string&);
    const char* want;
  } cases[] = {
      {"dotdot", [](TarWriter& w, auto&, auto&, auto&) { (void)w.AddBytes("../x", "x"); },
       "tar entry \"../x\": path escapes the archive root"},
      {"absolute", [](TarWriter& w, auto&, auto&, auto&) { (void)w.AddBytes("/abs", "x"); },
       "tar entry \"/abs\": absolute paths are not allowed"},
      {"symlink",
       [](TarWriter& w, auto&, auto&, auto&) { (void)w.AddRawForTest("index.json", '2', ""); },
       "tar entry \"index.json\": symbolic links are not allowed"},
      {"hardlink",
       [](TarWriter& w, auto&, auto&, auto&) { (void)w.AddRawForTest("oci-layout", '1', ""); },
       "tar entry \"oci-layout\": hard links are not allowed"},
      {"fifo", [](TarWriter& w, auto&, auto&, auto&) { (void)w.AddRawForTest("f", '6', ""); },
       "tar entry \"f\": FIFOs are not allowed"},
      {"device", [](TarWriter& w, auto&, auto&, auto&) { (void)w.AddRawForTest("d", '3', ""); },
       "tar entry \"d\": device files are not allowed"},
      {"unexpected", [](TarWriter& w, auto&, auto&, auto&) { (void)w.AddBytes("evil.sh", "x"); },
       "tar entry \"evil.sh\": unexpected entry"},
      {"duplicate",
       [](TarWriter& w, auto& oci, auto&, auto&) {
         (void)w.AddBytes("oci-layout", oci);
         (void)w.AddBytes("./oci-layout", oci);
       },
       "tar entry \"./oci-layout\": duplicate entry"},
      {"misnamed blob",
       [](TarWriter& w, auto&, auto&, auto& hex) {
         (void)w.AddBytes("blobs/sha256/" + hex, "not extra");
       },
       "content hashes to sha256:"},
      {"no index",
       [](TarWriter& w, auto& oci, auto&, auto&) { (void)w.AddBytes("oci-layout", oci); },
       "index.json is missing"},
  };
  for (const Case& c : cases) {
    std::string tar = Tar([&](TarWriter& w) {
      c.fill(w, oci, index, extra_hex);
      (void)w.Finish();
    });
    std::string err = ImportBytes(tar);
    EXPECT_NE(err.find(c.want), std::string::npos) << c.label << ": " << err;
    ExpectNothingLeft();
  }
}

TEST_F(LayoutArchiveTest, ExtraAndMissingBlobs) {
  const std::string extra = "extra";
  // The real archive with one more blob spliced in before index.json.
  std::string tar =
      Tar([&](TarWriter& w) { (void)w.AddBytes("blobs/sha256/" + Sha256Hex(extra), extra); });
  std::string spliced = tar_.substr(0, 1024) + tar + tar_.substr(1024);
  std::string err = ImportBytes(spliced);
  EXPECT_NE(err.find("blob sha256:" + Sha256Hex(extra) +
                     " is not referenced by any manifest (extra blob)"),
            std::string::npos)
      << err;
  ExpectNothingLeft();

  // Drop the layer blob: a manifest names a missing blob.
  auto layout = OciLayout::Open(root_ + "/layout");
  auto m = (*layout)->ReadManifest(digest_);
  ASSERT_TRUE(m.ok());
  const std::string layer = m->layers[0].digest;
  std::string missing = Tar([&](TarWriter& w) {
    ASSERT_TRUE(w.AddBytes("oci-layout", LayoutFile("oci-layout")).ok());
    ASSERT_TRUE(w.AddBytes("index.json", LayoutFile("index.json")).ok());
    for (const std::string& d : {digest_, m->config.digest, m->layers[1].digest}) {
      ASSERT_TRUE(
          w.AddBytes("blobs/sha256/" + DigestHex(d), *ReadFile((*layout)->BlobPath(d))).ok());
    }
    ASSERT_TRUE(w.Finish().ok());
  });
  err = ImportBytes(missing);
  EXPECT_NE(err.find("blob " + layer + " is missing"), std::string::npos) << err;
  ExpectNothingLeft();
}

// Import from a file copies entry data in the kernel; truncation and corruption are still
// caught there.
TEST_F(LayoutArchiveTest, FileImportChecksDataToo) {
  const std::string path = root_ + "/cut.tar";
  for (const std::string& bytes : {tar_.substr(0, 1024 + 700), [&] {
                                     std::string bad = tar_;
                                     bad[1536 + 5] ^= 1;
                                     return bad;
                                   }()}) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
    absl::Status s = Import(path, root_ + "/dest");
    EXPECT_FALSE(s.ok());
    std::string msg(s.message());
    EXPECT_TRUE(msg.find("archive is truncated (entry data)") != std::string::npos ||
                msg.find("content hashes to") != std::string::npos)
        << msg;
    ::unlink(path.c_str());
    ExpectNothingLeft();
  }
}

TEST_F(LayoutArchiveTest, TruncatedAndCorruptArchives) {
  std::string err = ImportBytes(tar_.substr(0, tar_.size() - 1024));
  EXPECT_NE(err.find("archive is truncated"), std::string::npos) << err;
  ExpectNothingLeft();
  err = ImportBytes(tar_.substr(0, 1024 + 700));
  EXPECT_NE(err.find("archive is truncated (entry data)"), std::string::npos) << err;
  ExpectNothingLeft();
  std::string bad = tar_;
  bad[1024 + 10] ^= 1;  // a byte in the first blob's header name
  err = ImportBytes(bad);
  EXPECT_NE(err.find("bad header checksum"), std::string::npos) << err;
  ExpectNothingLeft();
  bad = tar_;
  bad[1536 + 5] ^= 1;  // a byte of the first blob's data
  err = ImportBytes(bad);
  EXPECT_NE(err.find("content hashes to"), std::string::npos) << err;
  ExpectNothingLeft();
}

}  // namespace
}  // namespace ferry::package
