#include "monitoring/profile/frequent_items.h"

#include <algorithm>

#include "monitoring/profile/hash.h"

namespace ferry::monitoring {

FrequentItems::FrequentItems(uint8_t lg_max_k)
    : lg_max_k_(std::clamp<uint8_t>(lg_max_k, 3, 16)), slots_(8) {}

std::string_view FrequentItems::Truncate(std::string_view item) {
  if (item.size() <= kMaxItemBytes) return item;
  size_t end = kMaxItemBytes;
  // Back off continuation bytes (10xxxxxx) so the cut falls before a sequence's first byte.
  while (end > 0 && (static_cast<uint8_t>(item[end]) & 0xC0) == 0x80) --end;
  return item.substr(0, end);
}

void FrequentItems::Insert(std::string_view key, uint64_t hash, uint64_t count) {
  const size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    Slot& s = slots_[i];
    if (s.count == 0) {
      s.hash = hash;
      s.count = count;
      s.key.assign(key.data(), key.size());
      ++size_;
      return;
    }
    if (s.hash == hash && s.key == key) {
      s.count += count;
      return;
    }
  }
}

void FrequentItems::Update(std::string_view item, uint64_t hash, uint64_t weight) {
  if (weight == 0) return;
  stream_weight_ += weight;
  Insert(item, hash, weight);
  if (size_ * 4 > slots_.size() * 3) MakeRoom();
}

void FrequentItems::MakeRoom() {
  if (slots_.size() < (size_t{1} << lg_max_k_)) {
    Grow();
  } else {
    Purge();
  }
}

void FrequentItems::Grow() {
  std::vector<Slot> old(slots_.size() * 2);
  old.swap(slots_);
  size_ = 0;
  for (Slot& s : old) {
    if (s.count != 0) Insert(s.key, s.hash, s.count);
  }
}

void FrequentItems::Update(std::string_view item) {
  const std::string_view key = Truncate(item);
  Update(key, HashBytes(key));
}

// Subtracts the median counter from all, drops those left at or below 0, and rebuilds the
// table (linear probing has no cheap deletion).
void FrequentItems::Purge() {
  scratch_.clear();
  for (const Slot& s : slots_) {
    if (s.count != 0) scratch_.push_back(s.count);
  }
  auto mid = scratch_.begin() + scratch_.size() / 2;
  std::nth_element(scratch_.begin(), mid, scratch_.end());
  const uint64_t median = *mid;
  survivors_.clear();
  for (Slot& s : slots_) {
    if (s.count > median) survivors_.push_back({s.hash, s.count - median, std::move(s.key)});
    s.count = 0;
  }
  size_ = 0;
  for (const Slot& s : survivors_) Insert(s.key, s.hash, s.count);
  offset_ += median;
}

void FrequentItems::Merge(const FrequentItems& other) {
  if (&other == this) {
    const FrequentItems copy = other;
    Merge(copy);
    return;
  }
  const uint64_t weight = stream_weight_ + other.stream_weight_;
  for (const Slot& s : other.slots_) {
    if (s.count != 0) Update(s.key, s.hash, s.count);
  }
  stream_weight_ = weight;
  offset_ += other.offset_;
}

std::vector<FrequentItem> FrequentItems::AllItems() const {
  std::vector<FrequentItem> out;
  out.reserve(size_);
  for (const Slot& s : slots_) {
    if (s.count != 0) out.push_back({s.key, s.count + offset_, s.count, s.count + offset_});
  }
  return out;
}

std::vector<FrequentItem> FrequentItems::TopItems(size_t limit) const {
  std::vector<FrequentItem> out = AllItems();
  std::erase_if(out, [this](const FrequentItem& f) { return f.lower <= offset_; });
  std::sort(out.begin(), out.end(), [](const FrequentItem& a, const FrequentItem& b) {
    return a.estimate != b.estimate ? a.estimate > b.estimate : a.item < b.item;
  });
  if (out.size() > limit) out.resize(limit);
  return out;
}

}  // namespace ferry::monitoring
