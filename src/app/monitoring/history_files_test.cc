// HistoryFiles: appended records come back after a "restart" (a new store on the same
// directory), a torn tail is dropped before the next append, files stay within their bound,
// and deployment names cannot leave the directory.

#include "app/monitoring/history_files.h"

#include <gtest/gtest.h>

#include "common/fs.h"

namespace ferry::app {
namespace {

monitoring::WindowResult Window(uint64_t index) {
  monitoring::WindowResult w;
  w.index = index;
  w.rows = 10;
  w.empty = false;
  return w;
}

monitoring::AlertEvent Alert(const std::string& state, uint64_t window) {
  monitoring::AlertEvent a;
  a.kind = "data_drift";
  a.state = state;
  a.deployment = "churn";
  a.first_window = window;
  a.last_window = window;
  return a;
}

class HistoryFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto d = TempDir::Create("history-files");
    ASSERT_TRUE(d.ok());
    dir_ = std::make_unique<TempDir>(*std::move(d));
  }
  std::string Dir() const { return JoinPath(dir_->path(), "monitoring"); }
  std::unique_ptr<TempDir> dir_;
};

TEST_F(HistoryFilesTest, RecordsSurviveANewStoreOnTheSameDirectory) {
  {
    HistoryFiles store(Dir(), {10, 10});
    auto empty = store.Load("churn", "1");
    ASSERT_TRUE(empty.ok()) << empty.status();
    EXPECT_TRUE(empty->windows.empty());
    ASSERT_TRUE(store.Append("churn", "1", {Window(0), Window(1)}, {Alert("firing", 1)}).ok());
    monitoring::WindowResult relabelled = Window(1);
    relabelled.quality.labelled = 7;
    ASSERT_TRUE(store.Append("churn", "1", {relabelled}, {}).ok());
  }
  HistoryFiles again(Dir(), {10, 10});
  auto h = again.Load("churn", "1");
  ASSERT_TRUE(h.ok()) << h.status();
  ASSERT_EQ(h->windows.size(), 2u);
  EXPECT_EQ(h->windows[1].quality.labelled, 7u);
  ASSERT_EQ(h->alerts.size(), 1u);
  EXPECT_EQ(h->alerts[0].state, "firing");
  // Another model version starts afresh (and the old version's records are dropped).
  auto v2 = again.Load("churn", "2");
  ASSERT_TRUE(v2.ok());
  EXPECT_TRUE(v2->windows.empty());
  EXPECT_TRUE(ReadFile(again.PathFor("churn"))->empty());
}

TEST_F(HistoryFilesTest, ATornTailIsDroppedBeforeTheNextAppend) {
  HistoryFiles store(Dir(), {10, 10});
  ASSERT_TRUE(store.Load("churn", "1").ok());
  ASSERT_TRUE(store.Append("churn", "1", {Window(0)}, {}).ok());
  const std::string path = store.PathFor("churn");
  std::string text = *ReadFile(path);
  ASSERT_TRUE(WriteFileAtomic(path, text + "{\"v\":1,\"version\":\"1\",\"win").ok());  // kill -9
  HistoryFiles restarted(Dir(), {10, 10});
  auto h = restarted.Load("churn", "1");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->skipped_lines, 1u);
  ASSERT_EQ(h->windows.size(), 1u);
  ASSERT_TRUE(restarted.Append("churn", "1", {Window(1)}, {}).ok());
  auto after = HistoryFiles(Dir(), {10, 10}).Load("churn", "1");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->skipped_lines, 0u);
  EXPECT_EQ(after->windows.size(), 2u);
}

// An append that failed half-way while the server ran (a full disk) must not swallow the
// next record: it starts on a line of its own.
TEST_F(HistoryFilesTest, AnAppendAfterATornWriteStartsANewLine) {
  HistoryFiles store(Dir(), {10, 10});
  ASSERT_TRUE(store.Load("churn", "1").ok());
  ASSERT_TRUE(store.Append("churn", "1", {Window(0)}, {}).ok());
  const std::string path = store.PathFor("churn");
  ASSERT_TRUE(WriteFileAtomic(path, *ReadFile(path) + "{\"v\":1,\"version\":\"1\",\"win").ok());
  ASSERT_TRUE(store.Append("churn", "1", {Window(1)}, {}).ok());
  auto after = HistoryFiles(Dir(), {10, 10}).Load("churn", "1");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->skipped_lines, 1u);
  EXPECT_EQ(after->windows.size(), 2u);
}

TEST_F(HistoryFilesTest, AFileIsCompactedPastItsBound) {
  HistoryFiles store(Dir(), {3, 2});
  ASSERT_TRUE(store.Load("churn", "1").ok());
  for (uint64_t i = 0; i < 200; ++i) {
    ASSERT_TRUE(
        store.Append("churn", "1", {Window(i)}, {Alert(i % 2 ? "resolved" : "firing", i)}).ok());
    const std::string text = *ReadFile(store.PathFor("churn"));
    const size_t lines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
    ASSERT_LE(lines, store.max_lines()) << i;
  }
  auto h = HistoryFiles(Dir(), {3, 2}).Load("churn", "1");
  ASSERT_TRUE(h.ok());
  ASSERT_EQ(h->windows.size(), 3u);
  EXPECT_EQ(h->windows.back().index, 199u);
  ASSERT_EQ(h->alerts.size(), 2u);
  EXPECT_EQ(h->alerts.back().state, "resolved");
}

TEST_F(HistoryFilesTest, NamesAreEscapedIntoTheDirectory) {
  HistoryFiles store("/d", {});
  EXPECT_EQ(store.PathFor("churn-v2.x"), "/d/churn-v2.x.jsonl");
  EXPECT_EQ(store.PathFor("../etc/passwd"), "/d/%2E.%2Fetc%2Fpasswd.jsonl");
  EXPECT_EQ(store.PathFor(".."), "/d/%2E..jsonl");
  // Long names stay under NAME_MAX and apart.
  const std::string a = store.PathFor(std::string(300, '/') + "a");
  const std::string b = store.PathFor(std::string(300, '/') + "b");
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), std::string("/d/").size() + 128 + 1 + 32 + std::string(".jsonl").size());
}

TEST_F(HistoryFilesTest, ALongNameIsStoredAndReadBack) {
  HistoryFiles store(Dir(), {10, 10});
  const std::string name(400, 'x');
  ASSERT_TRUE(store.Load(name, "1").ok());
  ASSERT_TRUE(store.Append(name, "1", {Window(3)}, {}).ok());
  auto h = HistoryFiles(Dir(), {10, 10}).Load(name, "1");
  ASSERT_TRUE(h.ok()) << h.status();
  ASSERT_EQ(h->windows.size(), 1u);
  EXPECT_EQ(h->windows[0].index, 3u);
}

}  // namespace
}  // namespace ferry::app
