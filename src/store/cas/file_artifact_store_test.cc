#include "store/cas/file_artifact_store.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "common/fs.h"
#include "common/sha256.h"
#include "common/testing/test_dir.h"

namespace ferry::store::cas {
namespace {

namespace fs = std::filesystem;

constexpr char kEmptySha[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr char kAbcSha[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

using ferry::testing::TestDir;

// `size` pseudo-random bytes from xorshift64; the same seed gives the same bytes.
std::string DeterministicBytes(size_t size, uint64_t seed) {
  std::string out(size, '\0');
  uint64_t x = seed | 1;
  for (char& c : out) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    c = static_cast<char>(x >> 56);
  }
  return out;
}

absl::StatusOr<BlobInfo> WriteBlob(ArtifactStore& store, std::string_view data, size_t chunk) {
  ASSIGN_OR_RETURN(std::unique_ptr<BlobWriter> writer, store.NewWriter());
  for (size_t off = 0; off < data.size(); off += chunk) {
    RETURN_IF_ERROR(writer->Append(data.substr(off, chunk)));
  }
  return writer->Commit();
}

std::string ReadAll(BlobReader& reader) {
  std::string out;
  char buf[4096];
  while (true) {
    absl::StatusOr<size_t> n = reader.Read(buf, sizeof(buf));
    EXPECT_TRUE(n.ok()) << n.status();
    if (!n.ok() || *n == 0) return out;
    out.append(buf, *n);
  }
}

// Regular files below `dir`, recursively.
int CountFiles(const std::string& dir) {
  int n = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) n += entry.is_regular_file();
  return n;
}

class FileArtifactStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    root_ = dir_.path() + "/store";
    absl::StatusOr<ArtifactStorePtr> store = FileArtifactStore::Create(root_);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  std::string BlobFile(const std::string& digest) const {
    return root_ + "/blobs/sha256/" + digest.substr(0, 2) + "/" + digest;
  }
  int TempFiles() const { return CountFiles(root_ + "/tmp"); }
  int BlobFiles() const { return CountFiles(root_ + "/blobs"); }

  TestDir dir_;
  std::string root_;
  ArtifactStorePtr store_;
};

TEST_F(FileArtifactStoreTest, RoundTrip) {
  const std::string big = DeterministicBytes((size_t{1} << 20) + 3, 7);  // spans a flush
  const struct {
    std::string data;
    size_t chunk;
    std::string digest;  // empty: compute with Sha256Hex
  } cases[] = {
      {"", 1, kEmptySha}, {"abc", 1, kAbcSha},   {"abc", 3, kAbcSha},
      {big, 4096, ""},    {big, big.size(), ""}, {big, 1000003, ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.data.size());
    absl::StatusOr<BlobInfo> info = WriteBlob(*store_, c.data, c.chunk);
    ASSERT_TRUE(info.ok()) << info.status();
    EXPECT_EQ(info->digest, c.digest.empty() ? Sha256Hex(c.data) : c.digest);
    EXPECT_EQ(info->size, static_cast<int64_t>(c.data.size()));
    EXPECT_TRUE(store_->Exists(info->digest));
    EXPECT_TRUE(PathExists(BlobFile(info->digest)));

    absl::StatusOr<std::unique_ptr<BlobReader>> reader = store_->Open(info->digest);
    ASSERT_TRUE(reader.ok()) << reader.status();
    EXPECT_EQ((*reader)->size(), info->size);
    EXPECT_EQ(ReadAll(**reader), c.data);
    // fd() stays at offset 0 whatever Read() consumed.
    ASSERT_GE((*reader)->fd(), 0);
    EXPECT_EQ(::lseek((*reader)->fd(), 0, SEEK_CUR), 0);
  }
  EXPECT_EQ(TempFiles(), 0);
}

TEST_F(FileArtifactStoreTest, IdenticalContentIsStoredOnce) {
  absl::StatusOr<BlobInfo> first = WriteBlob(*store_, "same bytes", 4);
  absl::StatusOr<BlobInfo> second = WriteBlob(*store_, "same bytes", 10);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->digest, second->digest);
  EXPECT_EQ(BlobFiles(), 1);
  EXPECT_EQ(TempFiles(), 0);
}

TEST_F(FileArtifactStoreTest, HundredMegabytesStreamedIn64KiBAppends) {
  constexpr size_t kSize = size_t{100} << 20;
  constexpr size_t kChunk = size_t{64} << 10;
  const std::string data = DeterministicBytes(kSize, 42);
  absl::StatusOr<BlobInfo> info = WriteBlob(*store_, data, kChunk);
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->digest, Sha256Hex(data));
  EXPECT_EQ(info->size, static_cast<int64_t>(kSize));

  absl::StatusOr<std::unique_ptr<BlobReader>> reader = store_->Open(info->digest);
  ASSERT_TRUE(reader.ok()) << reader.status();
  Sha256 hasher;
  std::string buf(kChunk, '\0');
  int64_t total = 0;
  while (true) {
    absl::StatusOr<size_t> n = (*reader)->Read(buf.data(), buf.size());
    ASSERT_TRUE(n.ok()) << n.status();
    if (*n == 0) break;
    hasher.Update(buf.data(), *n);
    total += static_cast<int64_t>(*n);
  }
  EXPECT_EQ(total, info->size);
  EXPECT_EQ(hasher.FinishHex(), info->digest);
}

TEST_F(FileArtifactStoreTest, AbortAndDestructionLeaveNothing) {
  {
    absl::StatusOr<std::unique_ptr<BlobWriter>> writer = store_->NewWriter();
    ASSERT_TRUE(writer.ok()) << writer.status();
    ASSERT_TRUE((*writer)->Append(DeterministicBytes(3 << 20, 1)).ok());
    EXPECT_EQ(TempFiles(), 1);
    (*writer)->Abort();
    EXPECT_EQ(TempFiles(), 0);
    (*writer)->Abort();  // idempotent
    EXPECT_EQ((*writer)->Append("x").code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_EQ((*writer)->Commit().status().code(), absl::StatusCode::kFailedPrecondition);
  }
  {
    absl::StatusOr<std::unique_ptr<BlobWriter>> writer = store_->NewWriter();
    ASSERT_TRUE(writer.ok()) << writer.status();
    ASSERT_TRUE((*writer)->Append("never committed").ok());
  }
  EXPECT_EQ(TempFiles(), 0);
  EXPECT_EQ(BlobFiles(), 0);
  EXPECT_FALSE(store_->Exists(Sha256Hex("never committed")));
}

TEST_F(FileArtifactStoreTest, CommitTwiceFails) {
  absl::StatusOr<std::unique_ptr<BlobWriter>> writer = store_->NewWriter();
  ASSERT_TRUE(writer.ok()) << writer.status();
  ASSERT_TRUE((*writer)->Append("abc").ok());
  ASSERT_TRUE((*writer)->Commit().ok());
  EXPECT_EQ((*writer)->Commit().status().code(), absl::StatusCode::kFailedPrecondition);
  (*writer)->Abort();  // no effect after Commit
  EXPECT_TRUE(store_->Exists(kAbcSha));
}

TEST_F(FileArtifactStoreTest, BadDigestIsInvalidArgument) {
  static const char* const cases[] = {
      "",
      "abc",
      "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85",
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8555",
      "g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "../../../../../../../../../../../../../../../../../../etc/passwd",
  };
  for (const char* digest : cases) {
    SCOPED_TRACE(digest);
    EXPECT_EQ(store_->Open(digest).status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(store_->Delete(digest).code(), absl::StatusCode::kInvalidArgument);
    EXPECT_FALSE(store_->Exists(digest));
  }
}

TEST_F(FileArtifactStoreTest, MissingBlobIsNotFoundAndDeleteIsIdempotent) {
  EXPECT_EQ(store_->Open(kAbcSha).status().code(), absl::StatusCode::kNotFound);
  EXPECT_FALSE(store_->Exists(kAbcSha));
  EXPECT_TRUE(store_->Delete(kAbcSha).ok());

  ASSERT_TRUE(WriteBlob(*store_, "abc", 3).ok());
  EXPECT_TRUE(store_->Delete(kAbcSha).ok());
  EXPECT_FALSE(store_->Exists(kAbcSha));
  EXPECT_EQ(store_->Open(kAbcSha).status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(store_->Delete(kAbcSha).ok());
}

TEST_F(FileArtifactStoreTest, ConcurrentWritersOfTheSameContent) {
  constexpr int kThreads = 8;
  const std::string data = DeterministicBytes(3 << 20, 9);
  std::vector<absl::StatusOr<BlobInfo>> results(kThreads, absl::UnknownError("not run"));
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] { results[i] = WriteBlob(*store_, data, 4096 * (i + 1) + i); });
  }
  for (std::thread& t : threads) t.join();
  for (const absl::StatusOr<BlobInfo>& r : results) {
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->digest, Sha256Hex(data));
  }
  EXPECT_EQ(BlobFiles(), 1);
  EXPECT_EQ(TempFiles(), 0);
  absl::StatusOr<std::unique_ptr<BlobReader>> reader = store_->Open(Sha256Hex(data));
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ(ReadAll(**reader), data);
}

void Touch(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ASSERT_GE(fd, 0) << path;
  ::close(fd);
}

// A pid that no process has: a child that has exited and been reaped.
pid_t DeadPid() {
  pid_t pid = ::fork();
  if (pid == 0) ::_exit(0);
  ::waitpid(pid, nullptr, 0);
  return pid;
}

TEST_F(FileArtifactStoreTest, CreateRemovesOnlyStaleTempFiles) {
  const std::string tmp = root_ + "/tmp/";
  const std::string dead = tmp + std::to_string(DeadPid()) + "-0123456789abcdef-AAAAAA.tmp";
  const std::string earlier_self =
      tmp + std::to_string(::getpid()) + "-0000000000000000-BBBBBB.tmp";
  const std::string live_other = tmp + std::to_string(::getppid()) + "-0123456789abcdef-CC.tmp";
  const std::string foreign = tmp + "notes.txt";
  for (const std::string& path : {dead, earlier_self, live_other, foreign}) Touch(path);
  absl::StatusOr<std::unique_ptr<BlobWriter>> in_flight = store_->NewWriter();
  ASSERT_TRUE(in_flight.ok()) << in_flight.status();
  ASSERT_TRUE((*in_flight)->Append("abc").ok());

  absl::StatusOr<ArtifactStorePtr> reopened = FileArtifactStore::Create(root_);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_FALSE(PathExists(dead));
  EXPECT_FALSE(PathExists(earlier_self));
  EXPECT_TRUE(PathExists(live_other));
  EXPECT_TRUE(PathExists(foreign));
  // This process's own writers survive a second Create on the same root.
  absl::StatusOr<BlobInfo> info = (*in_flight)->Commit();
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_TRUE((*reopened)->Exists(kAbcSha));
}

TEST(FileArtifactStoreCreateTest, RootThatIsAFileFails) {
  TestDir dir;
  const std::string file = dir.path() + "/file";
  Touch(file);
  absl::StatusOr<ArtifactStorePtr> store = FileArtifactStore::Create(file + "/store");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(store.status().message().find(file), absl::string_view::npos) << store.status();
  EXPECT_EQ(FileArtifactStore::Create("").status().code(), absl::StatusCode::kInvalidArgument);
}

// Runs Create(root) as an unprivileged user (root bypasses permission bits) and returns its
// status code and message.
std::pair<int, std::string> CreateAsNobody(const std::string& root) {
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) return {-1, "pipe"};
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(pipe_fds[0]);
    if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(100);
    absl::Status status = FileArtifactStore::Create(root).status();
    std::string message(status.message());
    ssize_t ignored = ::write(pipe_fds[1], message.data(), message.size());
    (void)ignored;
    ::_exit(static_cast<int>(status.code()));
  }
  ::close(pipe_fds[1]);
  std::string message;
  char buf[512];
  for (ssize_t n; (n = ::read(pipe_fds[0], buf, sizeof(buf))) > 0;) message.append(buf, n);
  ::close(pipe_fds[0]);
  int wstatus = 0;
  ::waitpid(pid, &wstatus, 0);
  return {WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1, message};
}

TEST(FileArtifactStoreCreateTest, UnwritableRootIsPermissionDenied) {
  TestDir dir;
  // Traversable by everyone; writable only by its owner, who is root or (when the tests do
  // not run as root) nobody once the write bits are gone.
  const mode_t read_only = ::geteuid() == 0 ? 0755 : 0555;
  const std::string existing = dir.path() + "/existing";
  ASSERT_TRUE(FileArtifactStore::Create(existing).ok());
  ASSERT_EQ(::chmod((existing + "/tmp").c_str(), read_only), 0);
  ASSERT_EQ(::chmod(dir.path().c_str(), read_only), 0);

  auto [code, message] = CreateAsNobody(dir.path() + "/store");
  EXPECT_EQ(code, static_cast<int>(absl::StatusCode::kPermissionDenied)) << message;
  EXPECT_NE(message.find(dir.path() + "/store"), std::string::npos) << message;

  // An existing store whose tmp/ cannot be written.
  std::tie(code, message) = CreateAsNobody(existing);
  EXPECT_EQ(code, static_cast<int>(absl::StatusCode::kPermissionDenied)) << message;
  EXPECT_NE(message.find(existing + "/tmp"), std::string::npos) << message;

  ::chmod(dir.path().c_str(), 0755);
  ::chmod((existing + "/tmp").c_str(), 0755);
}

}  // namespace
}  // namespace ferry::store::cas
