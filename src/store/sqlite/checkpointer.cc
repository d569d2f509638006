#include "store/sqlite/checkpointer.h"

#include "common/logging.h"

namespace ferry::store::sqlite {

absl::StatusOr<std::unique_ptr<Checkpointer>> Checkpointer::Start(Connection& writer) {
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> own,
                   Connection::Open(writer.path(), ConnectionRole::kWriter));
  return std::unique_ptr<Checkpointer>(new Checkpointer(writer, std::move(own)));
}

Checkpointer::Checkpointer(Connection& writer, std::unique_ptr<Connection> own)
    : writer_(writer), own_(std::move(own)) {
  sqlite3_wal_autocheckpoint(writer_.handle(), 0);
  sqlite3_wal_hook(writer_.handle(), &Checkpointer::OnCommit, this);
  thread_ = std::thread([this] { Loop(); });
}

Checkpointer::~Checkpointer() {
  sqlite3_wal_hook(writer_.handle(), nullptr, nullptr);
  sqlite3_wal_autocheckpoint(writer_.handle(), kPagesPerCheckpoint);
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_one();
  thread_.join();
  Checkpoint();
}

// Runs right after the writer's COMMIT, under the store's write mutex: normally it only
// signals the thread.
int Checkpointer::OnCommit(void* self, sqlite3* db, const char*, int wal_pages) {
  auto* c = static_cast<Checkpointer*>(self);
  if (wal_pages >= kPagesForInlineCheckpoint) {
    sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  } else if (wal_pages >= kPagesPerCheckpoint) {
    {
      std::lock_guard<std::mutex> lock(c->mu_);
      c->wanted_ = true;
    }
    c->cv_.notify_one();
  }
  return SQLITE_OK;
}

void Checkpointer::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return wanted_ || stop_; });
    if (stop_) return;
    wanted_ = false;
    lock.unlock();
    Checkpoint();
    lock.lock();
  }
}

void Checkpointer::Checkpoint() {
  int rc = sqlite3_wal_checkpoint_v2(own_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                     nullptr);
  if (rc == SQLITE_OK) {
    ++checkpoints_;
  } else if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) {
    LogWarn("sqlite checkpoint failed", {{"error", sqlite3_errstr(rc)}});
  }
}

}  // namespace ferry::store::sqlite
