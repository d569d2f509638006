#include "store/postgres/pg_pool.h"

#include <utility>

namespace ferry::store::postgres {

ConnectionPool::ConnectionPool(PgUri uri, size_t max_open)
    : uri_(std::move(uri)), max_open_(max_open == 0 ? 1 : max_open) {}

ConnectionPool::~ConnectionPool() = default;

ConnectionPool::Lease::~Lease() {
  if (conn_ != nullptr) pool_->Release(std::move(conn_));
}

absl::StatusOr<ConnectionPool::Lease> ConnectionPool::Acquire() {
  {
    std::unique_lock<std::mutex> lock(mu_);
    returned_.wait(lock, [&] { return !idle_.empty() || open_ < max_open_; });
    if (!idle_.empty()) {
      std::unique_ptr<Connection> conn = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(conn));
    }
    ++open_;  // reserve the slot while connecting without the lock
  }
  absl::StatusOr<std::unique_ptr<Connection>> conn = Connection::Open(uri_);
  if (!conn.ok()) {
    std::lock_guard<std::mutex> lock(mu_);
    --open_;
    returned_.notify_one();
    return conn.status();
  }
  return Lease(this, *std::move(conn));
}

void ConnectionPool::Release(std::unique_ptr<Connection> conn) {
  std::lock_guard<std::mutex> lock(mu_);
  if (conn->Healthy()) {
    idle_.push_back(std::move(conn));
  } else {
    conn.reset();
    --open_;
  }
  returned_.notify_one();
}

}  // namespace ferry::store::postgres
