#include "store/sqlite/connection_pool.h"

#include <utility>

namespace ferry::store::sqlite {

ConnectionPool::ConnectionPool(std::string path, size_t max_idle)
    : path_(std::move(path)), max_idle_(max_idle) {}

ConnectionPool::~ConnectionPool() = default;

ConnectionPool::Lease::~Lease() {
  if (conn_ != nullptr) pool_->Release(std::move(conn_));
}

absl::StatusOr<ConnectionPool::Lease> ConnectionPool::Acquire() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      std::unique_ptr<Connection> conn = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(conn));
    }
  }
  // Opening happens outside the lock: it touches the file system.
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn,
                   Connection::Open(path_, ConnectionRole::kReader));
  return Lease(this, std::move(conn));
}

void ConnectionPool::Release(std::unique_ptr<Connection> conn) {
  std::lock_guard<std::mutex> lock(mu_);
  if (idle_.size() < max_idle_) idle_.push_back(std::move(conn));
  // Otherwise `conn` closes here, still under the lock; closing is cheap.
}

}  // namespace ferry::store::sqlite
