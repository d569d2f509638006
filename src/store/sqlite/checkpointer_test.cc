#include "store/sqlite/checkpointer.h"

#include <chrono>
#include <filesystem>
#include <thread>

#include "common/testing/test_dir.h"
#include "gtest/gtest.h"

namespace ferry::store::sqlite {
namespace {

class CheckpointerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto writer = Connection::Open(dir_ + "/db.sqlite", ConnectionRole::kWriter);
    ASSERT_TRUE(writer.ok()) << writer.status();
    writer_ = std::move(*writer);
    ASSERT_TRUE(writer_->Exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)").ok());
  }
  void TearDown() override { writer_.reset(); }
  // Commits `n` transactions of 200 rows with 1 KB values (about 50 WAL pages each).
  void Write(int n) {
    std::string value(1000, 'x');
    for (int i = 0; i < n; ++i) {
      ASSERT_TRUE(writer_->Begin(true).ok());
      for (int r = 0; r < 200; ++r) {
        auto st = writer_->Prepare("INSERT INTO t (v) VALUES (?)");
        ASSERT_TRUE(st.ok());
        ASSERT_TRUE(st->BindText(value).Run().ok());
      }
      ASSERT_TRUE(writer_->Commit().ok());
    }
  }
  int64_t WalBytes() {
    std::error_code ec;
    auto size = std::filesystem::file_size(dir_ + "/db.sqlite-wal", ec);
    return ec ? 0 : static_cast<int64_t>(size);
  }
  ferry::testing::TestDir tmp_;
  std::string dir_ = tmp_.path();
  std::unique_ptr<Connection> writer_;
};

TEST_F(CheckpointerTest, CheckpointsInTheBackgroundOnceTheWalIsLarge) {
  auto checkpointer = Checkpointer::Start(*writer_);
  ASSERT_TRUE(checkpointer.ok()) << checkpointer.status();
  Write(5);  // ~250 pages: below the threshold
  EXPECT_EQ((*checkpointer)->checkpoints(), 0);
  Write(40);  // ~2000 pages: crosses it
  // The checkpoint runs on another thread; wait for it (bounded), not for a fixed time.
  for (int i = 0; i < 1000 && (*checkpointer)->checkpoints() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GT((*checkpointer)->checkpoints(), 0);
  // Sustained writing (~10,000 more pages) does not grow the WAL without bound.
  Write(200);
  EXPECT_LT(WalBytes(), int64_t{2} * Checkpointer::kPagesForInlineCheckpoint * 4096);
  checkpointer->reset();
  auto count = writer_->Prepare("SELECT count(*) FROM t");
  ASSERT_TRUE(count.ok());
  ASSERT_TRUE(*count->Step());
  EXPECT_EQ(count->Int(0), 245 * 200);
}

TEST_F(CheckpointerTest, DestroyingRestoresAutomaticCheckpoints) {
  auto checkpointer = Checkpointer::Start(*writer_);
  ASSERT_TRUE(checkpointer.ok());
  // Destroying the checkpointer restores automatic checkpoints on the writer.
  checkpointer->reset();
  Write(30);
  EXPECT_LT(WalBytes(), 2000 * 4096);
}

}  // namespace
}  // namespace ferry::store::sqlite
