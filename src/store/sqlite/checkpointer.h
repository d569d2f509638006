#pragma once
// Moves SQLite's WAL checkpoints off the request path. Without it, the commit that pushes the
// WAL past 1000 pages runs the checkpoint itself, inside some client's log-batch request
// (measured: ~11% of ingest CPU, and the likely cause of the p99 latency). The Checkpointer
// turns the writer's automatic checkpoint off, watches its commits through sqlite3_wal_hook,
// and runs PASSIVE checkpoints (which never block readers or the writer) on its own thread and
// connection.

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "common/status.h"
#include "store/sqlite/sqlite_db.h"

namespace ferry::store::sqlite {

class Checkpointer {
 public:
  // WAL size (pages) after which a background checkpoint is started; SQLite's own default.
  static constexpr int kPagesPerCheckpoint = 1000;
  // Under sustained writes a background checkpoint may never catch up with the writer, and
  // the WAL only restarts from its beginning after a checkpoint that did. Past this size the
  // committing writer checkpoints itself, as SQLite would, which bounds the WAL.
  static constexpr int kPagesForInlineCheckpoint = 8 * kPagesPerCheckpoint;

  // Hooks `writer` (which must outlive the Checkpointer and not be in use during this call)
  // and starts the thread.
  static absl::StatusOr<std::unique_ptr<Checkpointer>> Start(Connection& writer);
  // Unhooks the writer, stops the thread and runs a last checkpoint.
  ~Checkpointer();

  // Checkpoints completed so far (for tests).
  int64_t checkpoints() const { return checkpoints_.load(); }

 private:
  Checkpointer(Connection& writer, std::unique_ptr<Connection> own);
  static int OnCommit(void* self, sqlite3* db, const char* name, int wal_pages);
  void Loop();
  void Checkpoint();

  Connection& writer_;
  std::unique_ptr<Connection> own_;  // used only by the thread (and the destructor after join)
  std::mutex mu_;
  std::condition_variable cv_;
  bool wanted_ ABSL_GUARDED_BY(mu_) = false;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::atomic<int64_t> checkpoints_{0};
  std::thread thread_;
};

}  // namespace ferry::store::sqlite
