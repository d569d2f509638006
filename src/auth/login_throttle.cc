#include "auth/login_throttle.h"

#include "common/clock.h"

namespace ferry::auth {

LoginThrottle::LoginThrottle(Clock* clock, int max_failures, int64_t window_ms)
    : clock_(clock), max_failures_(static_cast<size_t>(max_failures)), window_ms_(window_ms) {}

std::string LoginThrottle::Key(std::string_view username, std::string_view address) {
  std::string key(address);
  key += '\n';  // an address (from the socket) never holds one
  key += username;
  return key;
}

int64_t LoginThrottle::RetryAfterMs(std::string_view username, std::string_view address) {
  const int64_t now = clock_->NowMillis();
  std::lock_guard<std::mutex> lock(mu_);
  if (now - last_sweep_ms_ >= window_ms_) Expire(now);  // so active() turns false again
  auto it = failures_.find(Key(username, address));
  if (it == failures_.end() || it->second.size() < max_failures_) return 0;
  const int64_t wait = it->second.front() + window_ms_ - now;
  return wait > 0 ? wait : 0;
}

void LoginThrottle::RecordFailure(std::string_view username, std::string_view address) {
  const int64_t now = clock_->NowMillis();
  std::lock_guard<std::mutex> lock(mu_);
  if (failures_.size() >= kMaxKeys) Expire(now);
  if (failures_.size() >= kMaxKeys) failures_.clear();  // a flood of distinct pairs: start over
  std::deque<int64_t>& times = failures_[Key(username, address)];
  while (!times.empty() && times.front() <= now - window_ms_) times.pop_front();
  times.push_back(now);
  if (times.size() > max_failures_) times.pop_front();
  keys_.store(failures_.size(), std::memory_order_relaxed);
}

void LoginThrottle::RecordSuccess(std::string_view username, std::string_view address) {
  std::lock_guard<std::mutex> lock(mu_);
  failures_.erase(Key(username, address));
  keys_.store(failures_.size(), std::memory_order_relaxed);
}

void LoginThrottle::Expire(int64_t now_ms) {
  last_sweep_ms_ = now_ms;
  for (auto it = failures_.begin(); it != failures_.end();) {
    std::deque<int64_t>& times = it->second;
    while (!times.empty() && times.front() <= now_ms - window_ms_) times.pop_front();
    it = times.empty() ? failures_.erase(it) : std::next(it);
  }
  keys_.store(failures_.size(), std::memory_order_relaxed);
}

}  // namespace ferry::auth
