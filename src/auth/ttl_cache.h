#pragma once
// A small thread-safe map whose entries expire, for AuthService's caches of verified
// credentials and of users' grants.
//
// Invalidation races are closed with a generation counter: a caller reads generation() before
// it reads the store, and Insert() drops its value if anything was erased in between, so a
// value computed from data older than an invalidation is never cached (the stale value still
// answers the one request that computed it).

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <unordered_map>
#include <utility>

namespace ferry::auth {

template <typename Key, typename Value>
class TtlCache {
 public:
  // At most `max_entries` values are kept: a full cache is emptied before the next insert
  // (entries are cheap to recompute, and a cache that fills holds mostly stale ones).
  explicit TtlCache(size_t max_entries) : max_entries_(max_entries) {}

  // The value cached for `key` if it is still valid at `now_ms`.
  std::optional<Value> Find(const Key& key, int64_t now_ms) const {
    std::shared_lock lock(mu_);
    auto it = entries_.find(key);
    if (it == entries_.end() || now_ms >= it->second.valid_until_ms) return std::nullopt;
    return it->second.value;
  }

  uint64_t generation() const {
    std::shared_lock lock(mu_);
    return generation_;
  }

  // Caches `value` until `valid_until_ms`, unless the cache was invalidated since
  // `generation` was read.
  void Insert(const Key& key, Value value, int64_t valid_until_ms, uint64_t generation) {
    std::unique_lock lock(mu_);
    if (generation != generation_) return;
    if (entries_.size() >= max_entries_ && !entries_.contains(key)) entries_.clear();
    entries_.insert_or_assign(key, Entry{std::move(value), valid_until_ms});
  }

  // Removes every entry for which `pred(key, value)` holds, and invalidates in-flight inserts.
  template <typename Pred>
  void EraseIf(Pred pred) {
    std::unique_lock lock(mu_);
    ++generation_;
    std::erase_if(entries_, [&](const auto& kv) { return pred(kv.first, kv.second.value); });
  }

  void Clear() {
    EraseIf([](const Key&, const Value&) { return true; });
  }

  size_t size() const {
    std::shared_lock lock(mu_);
    return entries_.size();
  }

 private:
  struct Entry {
    Value value;
    int64_t valid_until_ms;
  };

  const size_t max_entries_;
  mutable std::shared_mutex mu_;
  uint64_t generation_ = 0;
  std::unordered_map<Key, Entry> entries_;
};

}  // namespace ferry::auth
