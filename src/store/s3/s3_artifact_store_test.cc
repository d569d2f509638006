// S3ArtifactStore against a real S3-compatible server: ctest runs this binary through
// tests/scripts/with_s3rver.sh, which starts s3rver on loopback and sets S3_ENDPOINT.

#include "store/s3/s3_artifact_store.h"

#include <cstdlib>
#include <string>

#include "common/sha256.h"
#include "gtest/gtest.h"

namespace ferry::store::s3 {
namespace {

constexpr int64_t kPart = int64_t{5} << 20;  // S3's smallest part

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? "" : v;
}

net::S3Config Config() {
  net::S3Config c;
  c.bucket = Env("S3_BUCKET");
  c.endpoint_url = Env("S3_ENDPOINT");
  c.access_key_id = Env("AWS_ACCESS_KEY_ID");
  c.secret_access_key = Env("AWS_SECRET_ACCESS_KEY");
  return c;
}

class S3ArtifactStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(Env("S3_ENDPOINT").empty())
        << "run through tests/scripts/with_s3rver.sh (ctest does), which starts s3rver";
    auto client = net::S3Client::Create(Config());
    ASSERT_TRUE(client.ok()) << client.status();
    auto store = S3ArtifactStore::Create(*std::move(client), "/runs/", kPart);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  BlobInfo Write(std::string_view data, size_t step) {
    auto writer = store_->NewWriter();
    EXPECT_TRUE(writer.ok()) << writer.status();
    for (size_t at = 0; at < data.size(); at += step) {
      EXPECT_TRUE((*writer)->Append(data.substr(at, step)).ok());
    }
    auto info = (*writer)->Commit();
    EXPECT_TRUE(info.ok()) << info.status();
    return info.ok() ? *info : BlobInfo{};
  }

  std::string ReadAll(const std::string& digest, size_t step) {
    auto reader = store_->Open(digest);
    EXPECT_TRUE(reader.ok()) << reader.status();
    if (!reader.ok()) return "";
    EXPECT_EQ((*reader)->fd(), -1);
    std::string out;
    std::string buf(step, '\0');
    while (true) {
      auto n = (*reader)->Read(buf.data(), buf.size());
      EXPECT_TRUE(n.ok()) << n.status();
      if (!n.ok() || *n == 0) break;
      out.append(buf.data(), *n);
    }
    EXPECT_EQ(static_cast<int64_t>(out.size()), (*reader)->size());
    return out;
  }

  ArtifactStorePtr store_;
};

std::string Pattern(size_t n) {
  std::string s(n, '\0');
  uint32_t x = 12345;
  for (char& c : s) c = static_cast<char>((x = x * 1103515245 + 12345) >> 24);
  return s;
}

TEST_F(S3ArtifactStoreTest, SmallBlobRoundTrip) {
  const BlobInfo info = Write("hello, s3", 4);
  EXPECT_EQ(info.digest, Sha256Hex("hello, s3"));
  EXPECT_EQ(info.size, 9);
  EXPECT_TRUE(store_->Exists(info.digest));
  EXPECT_EQ(ReadAll(info.digest, 3), "hello, s3");
}

TEST_F(S3ArtifactStoreTest, EmptyBlob) {
  const BlobInfo info = Write("", 1);
  EXPECT_EQ(info.digest, Sha256Hex(""));
  EXPECT_EQ(ReadAll(info.digest, 16), "");
}

TEST_F(S3ArtifactStoreTest, LargeBlobGoesUpInPartsAndStreamsBack) {
  const std::string data = Pattern(static_cast<size_t>(2 * kPart + 12345));
  const BlobInfo info = Write(data, 1 << 20);
  EXPECT_EQ(info.digest, Sha256Hex(data));
  EXPECT_EQ(info.size, static_cast<int64_t>(data.size()));
  EXPECT_TRUE(ReadAll(info.digest, 777777) == data);
  // The same bytes again: the blob exists, the second writer still succeeds.
  EXPECT_EQ(Write(data, 3 << 20).digest, info.digest);
}

TEST_F(S3ArtifactStoreTest, ExactlyOnePartIsStillOneBlob) {
  const std::string data = Pattern(static_cast<size_t>(kPart));
  const BlobInfo info = Write(data, static_cast<size_t>(kPart));
  EXPECT_EQ(info.digest, Sha256Hex(data));
  EXPECT_TRUE(ReadAll(info.digest, 1 << 20) == data);
}

TEST_F(S3ArtifactStoreTest, AbortedWritesLeaveNothing) {
  const std::string data = Pattern(static_cast<size_t>(kPart + 1));
  {
    auto writer = store_->NewWriter();
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->Append(data).ok());
    (*writer)->Abort();
    EXPECT_FALSE((*writer)->Commit().ok());
  }
  {
    auto writer = store_->NewWriter();
    ASSERT_TRUE((*writer)->Append("dropped by the destructor").ok());
  }
  EXPECT_FALSE(store_->Exists(Sha256Hex(data)));
  EXPECT_FALSE(store_->Exists(Sha256Hex("dropped by the destructor")));
}

TEST_F(S3ArtifactStoreTest, MissingInvalidAndDeleted) {
  const std::string absent = Sha256Hex("never written");
  EXPECT_EQ(store_->Open(absent).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->Open("../etc/passwd").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(store_->Exists("ABC"));
  const BlobInfo info = Write("to delete", 100);
  ASSERT_TRUE(store_->Delete(info.digest).ok());
  EXPECT_FALSE(store_->Exists(info.digest));
  EXPECT_TRUE(store_->Delete(info.digest).ok());  // already gone
  EXPECT_EQ(store_->Delete("x").code(), absl::StatusCode::kInvalidArgument);
}

// MLflow's multipart upload: parts put in any order (here the last first), joined, hashed
// and kept under their digest; a forged id names nothing outside tmp/.
TEST_F(S3ArtifactStoreTest, PartsInAnyOrderEndUnderTheirDigest) {
  const std::string first = Pattern(static_cast<size_t>(kPart));
  const std::string last = "and the short last part";
  auto id = store_->StartParts();
  ASSERT_TRUE(id.ok()) << id.status();
  auto etag2 = store_->PutPart(*id, 2, last);
  ASSERT_TRUE(etag2.ok()) << etag2.status();
  auto etag1 = store_->PutPart(*id, 1, first);
  ASSERT_TRUE(etag1.ok()) << etag1.status();
  auto info = store_->CompleteParts(*id, {*etag1, *etag2});
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->digest, Sha256Hex(first + last));
  EXPECT_EQ(info->size, static_cast<int64_t>(first.size() + last.size()));
  EXPECT_TRUE(ReadAll(info->digest, 1 << 20) == first + last);
  EXPECT_FALSE(store_->CompleteParts(*id, {*etag1, *etag2}).ok());  // gone with its tmp object
  for (const char* forged : {"", "no-dot", "../x.y", ".y", "ab."}) {
    EXPECT_EQ(store_->PutPart(forged, 1, "x").status().code(), absl::StatusCode::kInvalidArgument)
        << forged;
  }
  EXPECT_EQ(store_->PutPart(*id, 0, "x").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(S3ArtifactStoreCreateTest, WrongCredentialsOrBucketFailAtStart) {
  ASSERT_FALSE(Env("S3_ENDPOINT").empty()) << "run through tests/scripts/with_s3rver.sh";
  net::S3Config bad_key = Config();
  bad_key.access_key_id = "NOT-A-KEY";
  auto store = S3ArtifactStore::Create(*net::S3Client::Create(bad_key), "");
  EXPECT_EQ(store.status().code(), absl::StatusCode::kPermissionDenied) << store.status();
  EXPECT_NE(store.status().message().find("s3://" + bad_key.bucket), std::string::npos);
  EXPECT_EQ(store.status().message().find(bad_key.secret_access_key), std::string::npos);

  net::S3Config no_bucket = Config();
  no_bucket.bucket = "no-such-bucket";
  store = S3ArtifactStore::Create(*net::S3Client::Create(no_bucket), "");
  EXPECT_EQ(store.status().code(), absl::StatusCode::kNotFound) << store.status();
  EXPECT_NE(store.status().message().find("NoSuchBucket"), std::string::npos) << store.status();
}

}  // namespace
}  // namespace ferry::store::s3
