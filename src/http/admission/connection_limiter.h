#pragma once
// Caps on open connections, overall and per client address, shared by every event loop of
// one HttpServer. A connection over either cap is refused at accept (see EventLoop::Accept;
// at the overall cap, the connection that waited longest for its headers is closed first to
// make room): without these, thousands of idle or trickling connections could hold every
// descriptor and starve new clients. Thread-safe.
//
// Addresses are compared as IP addresses without the port; an IPv4-mapped IPv6 address
// counts as its IPv4 address. Loopback is not exempt: a local reverse proxy makes every
// client share its address, so such a deployment raises or disables the per-client cap.

#include <sys/socket.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "absl/base/thread_annotations.h"

namespace ferry::http {

// The peer's IP address as text ("127.0.0.1", "::1"; IPv4-mapped IPv6 as IPv4), "" for
// other families.
std::string PeerAddressText(const sockaddr_storage& peer);

class ConnectionLimiter {
 public:
  // A limit <= 0 means no limit.
  ConnectionLimiter(int max_total, int max_per_client)
      : max_total_(max_total), max_per_client_(max_per_client) {}
  ConnectionLimiter(const ConnectionLimiter&) = delete;
  ConnectionLimiter& operator=(const ConnectionLimiter&) = delete;

  // One admitted connection; gives its place back when destroyed. Movable.
  class Slot {
   public:
    Slot() = default;
    Slot(Slot&& other) noexcept { *this = std::move(other); }
    Slot& operator=(Slot&& other) noexcept;
    ~Slot() { Release(); }
    bool held() const { return limiter_ != nullptr; }

   private:
    friend class ConnectionLimiter;
    void Release();
    ConnectionLimiter* limiter_ = nullptr;
    std::string key_;
  };

  enum class Refusal { kNone, kTotal, kPerClient };
  // Admits a connection from `peer` into *slot, or says which cap refused it.
  Refusal TryAcquire(const sockaddr_storage& peer, Slot* slot);

  // Counts a connection closed to make room for a new one (see EventLoop).
  void RecordEviction() { evicted_.fetch_add(1, std::memory_order_relaxed); }

  int open() const { return open_.load(std::memory_order_relaxed); }
  uint64_t evicted() const { return evicted_.load(std::memory_order_relaxed); }
  uint64_t refused(Refusal reason) const;
  // Prometheus lines: open connections and refusals by reason.
  void RenderMetrics(std::string* out) const;

 private:
  void Release(const std::string& key);

  const int max_total_;
  const int max_per_client_;
  std::mutex mu_;
  std::unordered_map<std::string, int> per_client_ ABSL_GUARDED_BY(mu_);
  std::atomic<int> open_{0};
  std::atomic<uint64_t> refused_total_{0};
  std::atomic<uint64_t> refused_per_client_{0};
  std::atomic<uint64_t> evicted_{0};
};

}  // namespace ferry::http
