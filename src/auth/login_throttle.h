#pragma once
// Failed logins per (username, client address): after `max_failures` failures within
// `window_ms` the pair is refused until its oldest failure leaves the window (issue 15: ten a
// minute, then 429). A refused attempt costs no password check, so guessing cannot keep the
// server busy with scrypt either. Thread-safe; memory is bounded (kMaxKeys pairs).

#include <atomic>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace ferry {
class Clock;
}

namespace ferry::auth {

class LoginThrottle {
 public:
  static constexpr size_t kMaxKeys = 100000;

  LoginThrottle(Clock* clock, int max_failures = 10, int64_t window_ms = 60000);

  // Milliseconds until the pair may try again; 0 when it may now.
  int64_t RetryAfterMs(std::string_view username, std::string_view address);
  void RecordFailure(std::string_view username, std::string_view address);
  // A successful login forgets the pair's failures.
  void RecordSuccess(std::string_view username, std::string_view address);
  // False while no failure is remembered: callers may skip the per-request work.
  bool active() const { return keys_.load(std::memory_order_relaxed) > 0; }

 private:
  static std::string Key(std::string_view username, std::string_view address);
  // Drops failures older than the window; the pair's entry when none is left.
  void Expire(int64_t now_ms);

  Clock* clock_;
  const size_t max_failures_;
  const int64_t window_ms_;
  std::mutex mu_;
  std::unordered_map<std::string, std::deque<int64_t>> failures_;  // oldest first
  std::atomic<size_t> keys_{0};  // failures_.size(), readable without the lock
  int64_t last_sweep_ms_ = 0;
};

}  // namespace ferry::auth
